import Foundation
import LightningTensor

/// One case of PyTorch's `ops.json` (`shared/reference/ops.json`): the op, its keyword arguments,
/// inputs, output, cotangent and input gradients, as `torch` computed them.
public struct OpCase: Decodable, Sendable {
    /// The case's name (`conv2d_pad_stride`).
    public let name: String
    /// PyTorch's op name (`conv2d`).
    public let op: String
    /// PyTorch's keyword arguments.
    public let params: [String: FixtureValue]
    private let inputTensors: [FixtureTensor]
    private let outputTensor: FixtureTensor
    private let cotangentTensor: FixtureTensor
    private let gradTensors: [FixtureTensor?]

    /// The inputs, on the CPU.
    public var inputs: [Tensor] { inputTensors.map(\.tensor) }
    /// PyTorch's output.
    public var output: Tensor { outputTensor.tensor }
    /// The gradient fed to backward.
    public var cotangent: Tensor { cotangentTensor.tensor }
    /// The gradient of each input; `nil` for inputs without one (int64 targets, indices).
    public var grads: [Tensor?] { gradTensors.map { $0?.tensor } }

    enum CodingKeys: String, CodingKey {
        case name, op, params
        case inputTensors = "inputs", outputTensor = "output", cotangentTensor = "cotangent", gradTensors = "grads"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        op = try c.decode(String.self, forKey: .op)
        params = try c.decodeIfPresent([String: FixtureValue].self, forKey: .params) ?? [:]
        inputTensors = try c.decode([FixtureTensor].self, forKey: .inputTensors)
        outputTensor = try c.decode(FixtureTensor.self, forKey: .outputTensor)
        cotangentTensor = try c.decode(FixtureTensor.self, forKey: .cotangentTensor)
        gradTensors = try c.decode([FixtureTensor?].self, forKey: .gradTensors)
    }

    /// Every case of an `ops.json` file's contents.
    public static func decodeAll(from data: Data) throws -> [OpCase] {
        struct Fixture: Decodable { let cases: [OpCase] }
        return try JSONDecoder().decode(Fixture.self, from: data).cases
    }

    /// Runs the case with its inputs on `device` (forward, then backward from the cotangent) and
    /// returns the first output or gradient farther than `rtol`/`atol` from PyTorch's (as
    /// `numpy.allclose` measures), or `nil` when all match.
    public func mismatch(on device: Device, rtol: Float = 1e-4, atol: Float = 1e-5) -> String? {
        let moved = inputs.map { input -> Tensor in
            let placed = input.to(device)
            return input.dtype == .float32 ? placed.requiringGrad() : placed
        }
        guard let result = apply(moved) else { return "no mapping for op \(op)" }
        if let problem = Self.difference(result, output, rtol: rtol, atol: atol) { return "output: \(problem)" }
        result.backward(cotangent.to(device))
        for (i, expected) in grads.enumerated() {
            guard let expected else { continue }
            guard let grad = moved[i].grad else { return "input \(i) got no gradient" }
            if let problem = Self.difference(grad, expected, rtol: rtol, atol: atol) { return "gradient of input \(i): \(problem)" }
        }
        return nil
    }

    /// How `actual` (any device) differs from `expected` beyond `atol + rtol·|expected|`, if it does.
    static func difference(_ actual: Tensor, _ expected: Tensor, rtol: Float, atol: Float) -> String? {
        guard actual.shape == expected.shape else { return "shape \(actual.shape), expected \(expected.shape)" }
        for (i, (a, e)) in zip(actual.scalars, expected.scalars).enumerated() where !(abs(a - e) <= atol + rtol * abs(e)) {
            return "element \(i) is \(a), expected \(e)"
        }
        return nil
    }
}
