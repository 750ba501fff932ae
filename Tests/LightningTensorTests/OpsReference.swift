import LightningTestSupport
import XCTest
@testable import LightningTensor

/// One case of `ops.json`: PyTorch's inputs, output, cotangent and input gradients.
struct OpCase: Decodable {
    let name: String
    let op: String
    /// PyTorch's keyword arguments.
    let params: [String: FixtureValue]
    private let inputTensors: [FixtureTensor]
    private let outputTensor: FixtureTensor
    private let cotangentTensor: FixtureTensor
    private let gradTensors: [FixtureTensor?]

    var inputs: [Tensor] { inputTensors.map(\.tensor) }
    var output: Tensor { outputTensor.tensor }
    var cotangent: Tensor { cotangentTensor.tensor }
    /// The gradient of each input; `nil` for inputs without one (int64 targets, indices).
    var grads: [Tensor?] { gradTensors.map { $0?.tensor } }

    enum CodingKeys: String, CodingKey {
        case name, op, params
        case inputTensors = "inputs", outputTensor = "output", cotangentTensor = "cotangent", gradTensors = "grads"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        op = try c.decode(String.self, forKey: .op)
        params = try c.decodeIfPresent([String: FixtureValue].self, forKey: .params) ?? [:]
        inputTensors = try c.decode([FixtureTensor].self, forKey: .inputTensors)
        outputTensor = try c.decode(FixtureTensor.self, forKey: .outputTensor)
        cotangentTensor = try c.decode(FixtureTensor.self, forKey: .cotangentTensor)
        gradTensors = try c.decode([FixtureTensor?].self, forKey: .gradTensors)
    }

    /// Every case of the fixture copied from `shared/reference/ops.json`.
    static func loadAll() throws -> [OpCase] {
        struct Fixture: Decodable { let cases: [OpCase] }
        return try loadFixture("ops", as: Fixture.self, bundle: .module).cases
    }
}
