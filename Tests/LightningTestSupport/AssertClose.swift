@_exported import LightningReference
import LightningTensor
import XCTest

/// Asserts `|actual − expected| ≤ atol + rtol·|expected|` element-wise (NaN never passes), and
/// names the worst element when it fails.
public func assertClose<T: BinaryFloatingPoint>(_ actual: [T], _ expected: [T], rtol: T = 1e-5, atol: T = 1e-6,
                                                _ message: @autoclosure () -> String = "",
                                                file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "element count: \(message())", file: file, line: line)
    var worst: (index: Int, excess: T)?
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        let excess = abs(a - e) - (atol + rtol * abs(e))
        if excess <= 0 { continue }
        if worst == nil || excess.isNaN || excess > worst!.excess { worst = (i, excess) }
        if excess.isNaN { break }
    }
    if let (i, _) = worst {
        XCTFail("\(message()): element \(i) is \(actual[i]), expected \(expected[i]) (rtol \(rtol), atol \(atol))",
                file: file, line: line)
    }
}

/// Asserts `|actual − expected| ≤ atol + rtol·|expected|` for one value.
public func assertClose<T: BinaryFloatingPoint>(_ actual: T, _ expected: T, rtol: T = 1e-5, atol: T = 1e-6,
                                                _ message: @autoclosure () -> String = "",
                                                file: StaticString = #filePath, line: UInt = #line) {
    assertClose([actual], [expected], rtol: rtol, atol: atol, message(), file: file, line: line)
}

/// Asserts two float32 tensors have the same shape and elements within `atol + rtol·|expected|`.
public func assertClose(_ actual: Tensor, _ expected: Tensor, rtol: Float = 1e-5, atol: Float = 1e-6,
                        _ message: @autoclosure () -> String = "",
                        file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "\(message()): shape", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    assertClose(actual.scalars, expected.scalars, rtol: rtol, atol: atol, message(), file: file, line: line)
}
