import Foundation
import XCTest
@testable import LightningTensor

/// One case of `ops.json`: PyTorch's inputs, output, cotangent and input gradients.
struct OpCase {
    let name: String
    let op: String
    let params: [String: Any]
    let inputs: [Tensor]
    let output: Tensor
    let cotangent: Tensor
    let grads: [Tensor?]

    /// Every case of the fixture copied from `shared/reference/ops.json`.
    static func loadAll() throws -> [OpCase] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "ops", withExtension: "json", subdirectory: "Fixtures"))
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (root["cases"] as! [[String: Any]]).map { c in
            OpCase(name: c["name"] as! String, op: c["op"] as! String,
                   params: c["params"] as? [String: Any] ?? [:],
                   inputs: (c["inputs"] as! [Any]).map { tensor(from: $0)! },
                   output: tensor(from: c["output"]!)!,
                   cotangent: tensor(from: c["cotangent"]!)!,
                   grads: (c["grads"] as! [Any]).map { tensor(from: $0) })
        }
    }
}

/// Decodes `{"shape": [...], "data": [...], "dtype": "int"?}`.
func tensor(from json: Any) -> Tensor? {
    guard let dict = json as? [String: Any] else { return nil }
    let shape = (dict["shape"] as! [Any]).map { ($0 as! NSNumber).intValue }
    let data = dict["data"] as! [Any]
    if (dict["dtype"] as? String) == "int" {
        return Tensor(shape: shape, int64Scalars: data.map { ($0 as! NSNumber).int64Value })
    }
    return Tensor(shape: shape, scalars: data.map { ($0 as! NSNumber).floatValue })
}

/// Asserts two tensors agree elementwise within `|a − b| ≤ atol + rtol·|b|`.
func assertClose(_ actual: Tensor, _ expected: Tensor, rtol: Float = 1e-4, atol: Float = 1e-5,
                 _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "\(message): shape", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let a = actual.scalars, b = expected.scalars
    var worst: (Int, Float) = (-1, 0)
    for i in 0..<a.count {
        let err = abs(a[i] - b[i]) - (atol + rtol * abs(b[i]))
        if !(err <= 0) && (worst.0 < 0 || err > worst.1 || err.isNaN) { worst = (i, err) }
    }
    if worst.0 >= 0 {
        XCTFail("\(message): element \(worst.0) is \(a[worst.0]), expected \(b[worst.0])", file: file, line: line)
    }
}
