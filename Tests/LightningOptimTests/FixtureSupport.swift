import Foundation
import XCTest
@testable import LightningOptim

/// A JSON value from the PyTorch reference fixtures.
enum JSONValue: Decodable {
    case number(Double), bool(Bool), string(String), array([JSONValue]), object([String: JSONValue]), null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    var double: Double? {
        switch self {
        case .number(let n): return n
        case .string("inf"): return .infinity
        default: return nil
        }
    }
    var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var doubles: [Double]? { if case .array(let a) = self { return a.compactMap(\.double) } else { return nil } }
}

/// A tensor as the fixtures store it.
struct TensorJSON: Decodable {
    let shape: [Int]
    let data: [Float]
    var tensor: Tensor { Tensor(shape: shape, scalars: data) }
}

/// Reads `Fixtures/<name>.json` from the test bundle.
func loadFixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
                            "missing fixture \(name).json")
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}

/// Asserts `actual` matches `expected` element-wise within float32 tolerance.
func assertClose(_ actual: [Float], _ expected: [Float], rtol: Float = 1e-5, atol: Float = 1e-6,
                 _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "element count: \(message())", file: file, line: line)
    for (i, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= atol + rtol * abs(e)) {
        XCTFail("\(message()): element \(i) is \(a), expected \(e)", file: file, line: line)
        return
    }
}

/// Asserts two learning-rate lists match within `rtol`.
func assertClose(_ actual: [Double], _ expected: [Double], rtol: Double = 1e-12,
                 _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "count: \(message())", file: file, line: line)
    for (i, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= rtol * Swift.max(abs(e), 1e-12)) {
        XCTFail("\(message()): value \(i) is \(a), expected \(e)", file: file, line: line)
        return
    }
}

/// A parameter holding a copy of `values`.
func makeParameter(_ values: Tensor) -> Parameter { Parameter(values.copied()) }

/// Builds the optimizer a fixture case names, with PyTorch's argument names.
func makeOptimizer(_ kind: String, _ params: [String: JSONValue], _ parameters: [Parameter]) throws -> any Optimizer {
    let known: Set<String> = ["lr", "momentum", "dampening", "nesterov", "weight_decay", "betas", "eps", "amsgrad",
                              "alpha", "centered", "lr_decay", "initial_accumulator_value"]
    for key in params.keys where !known.contains(key) { XCTFail("unknown optimizer option \(key)") }
    let lr = try XCTUnwrap(params["lr"]?.double)
    func number(_ key: String, _ fallback: Double) -> Double { params[key]?.double ?? fallback }
    func flag(_ key: String) -> Bool { params[key]?.bool ?? false }
    let betas = params["betas"]?.doubles ?? [0.9, 0.999]
    let adam = AdamOptions(betas: (betas[0], betas[1]), eps: number("eps", 1e-8), weightDecay: number("weight_decay", 0),
                           amsgrad: flag("amsgrad"))
    switch kind {
    case "sgd":
        return try SGD(groups: [ParamGroup(parameters, lr: lr, options: SGDOptions(
            momentum: number("momentum", 0), dampening: number("dampening", 0),
            weightDecay: number("weight_decay", 0), nesterov: flag("nesterov")))])
    case "adam":
        return try Adam(groups: [ParamGroup(parameters, lr: lr, options: adam)])
    case "adamw":
        var options = adam
        options.weightDecay = number("weight_decay", 1e-2)
        return try AdamW(groups: [ParamGroup(parameters, lr: lr, options: options)])
    case "rmsprop":
        return try RMSprop(groups: [ParamGroup(parameters, lr: lr, options: RMSpropOptions(
            alpha: number("alpha", 0.99), eps: number("eps", 1e-8), weightDecay: number("weight_decay", 0),
            momentum: number("momentum", 0), centered: flag("centered")))])
    case "adagrad":
        return try Adagrad(groups: [ParamGroup(parameters, lr: lr, options: AdagradOptions(
            lrDecay: number("lr_decay", 0), weightDecay: number("weight_decay", 0),
            initialAccumulatorValue: number("initial_accumulator_value", 0), eps: number("eps", 1e-10)))])
    default:
        throw XCTSkip("unknown optimizer \(kind)")
    }
}

/// A 1-D float tensor (integer literals alone would be ambiguous with int64 tensors).
func vec(_ values: [Float]) -> Tensor { Tensor(values) }

/// A 2-D float tensor from rows.
func vec(_ rows: [[Float]]) -> Tensor { Tensor(rows) }
