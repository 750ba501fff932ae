import Foundation
import LightningTestSupport
import XCTest
import LightningNN
@testable import LightningOptim

/// Every run of `Fixtures/training.json` (generated with PyTorch) reproduced from its initial state
/// dict and data: the loss of every step and the final state dict, BatchNorm statistics included.
final class TrainingParityTests: XCTestCase {
    /// The agreement the issue asks for: 1e-4 relative.
    private let tolerance = 1e-4

    /// Entries that float32 rounding, not the math, decides, so no reimplementation can match them.
    ///
    /// A conv bias followed by BatchNorm has a gradient that is exactly zero in exact arithmetic
    /// (normalization removes any per-channel constant); in float32 it is rounding noise of about
    /// 1e-8, and Adam's update lr·m̂/(√v̂ + ε) turns that noise into steps of up to ±lr (|m̂/√v̂| ≤ 1 for
    /// gradients of steady size, Kingma & Ba §2.1). The running mean follows the bias. PyTorch itself,
    /// rerun in float64, lands 70% away on `0.bias` and 26% on `1.running_mean` while every other
    /// entry stays within 1e-5. So each run moves these entries by up to lr per step in either
    /// direction, and two runs can end up to 2·lr·steps apart: that is the bound they are held to
    /// (the running mean, a moving average of batch means that each carry the bias, inherits it).
    private let roundingDetermined: [String: Set<String>] = ["cnn_batchnorm_adam": ["0.bias", "1.running_mean"]]

    func testEveryRunMatchesPyTorch() throws {
        let runs = try loadFixture("training", as: TrainingFixture.self, bundle: .module).runs
        XCTAssertEqual(Set(runs.map(\.name)), ["mlp_sgd_momentum", "mlp_adam_tanh_clip", "regression_adamw",
                                               "cnn_sgd", "cnn_batchnorm_adam"], "a run without a model in this test")
        var worst = (error: 0.0, what: "")
        for run in runs {
            // Once with per-parameter gradients, once with the flat gradient buffer the Trainer uses.
            for flat in [false, true] {
                let result = try reproduce(run, flatGradients: flat)
                if result.error > worst.error { worst = result }
            }
        }
        print("training parity: worst relative error \(worst.error) (\(worst.what))")
    }

    /// The model a run's `architecture` printout describes, built from our layers.
    private func makeModel(_ name: String) throws -> Sequential {
        switch name {
        case "mlp_sgd_momentum":
            return Sequential(Linear(21, 32), ReLU(), Linear(32, 3))
        case "mlp_adam_tanh_clip":
            return Sequential(Linear(21, 16), Tanh(), Linear(16, 16), GELU(), Linear(16, 3))
        case "regression_adamw":
            return Sequential(Linear(5, 8), SiLU(), Linear(8, 2))
        case "cnn_sgd":
            return Sequential {
                Conv2d(1, 4, kernelSize: 3, padding: 1)
                ReLU()
                MaxPool2d(kernelSize: 2)
                Conv2d(4, 6, kernelSize: 3)
                ReLU()
                Flatten()
                Linear(24, 4)
            }
        case "cnn_batchnorm_adam":
            return Sequential {
                Conv2d(1, 4, kernelSize: 3, padding: 1)
                BatchNorm2d(4)
                ReLU()
                AvgPool2d(kernelSize: 2)
                Flatten()
                Linear(64, 4)
            }
        default:
            throw XCTSkip("no model for training run \(name)")
        }
    }

    /// Trains `run` as its PyTorch script did and checks every loss and the final state dict;
    /// returns the worst relative error seen.
    private func reproduce(_ run: TrainingRun, flatGradients: Bool) throws -> (error: Double, what: String) {
        let label = "\(run.name)\(flatGradients ? " (flat gradients)" : "")"
        let model = try makeModel(run.name)
        XCTAssertEqual(model.description, run.architecture, "\(run.name): the model does not print as PyTorch's")
        try model.loadStateDict(run.initStateDict.mapValues(\.tensor), strict: true)
        if flatGradients { model.flattenGradients() }
        model.train()
        XCTAssertFalse(run.shuffle, "\(run.name): shuffled runs are not reproducible here")

        var options = run.optimizer
        let kind = try XCTUnwrap(options.removeValue(forKey: "name")?.string, "\(run.name): optimizer name")
        let parameters = model.parameters()
        let optimizer = try makeOptimizer(kind, options, parameters)

        let x = run.x.tensor, y = run.y.tensor
        let count = x.shape[0]
        var losses: [Double] = []
        for _ in 0..<run.epochs {
            for start in stride(from: 0, to: count, by: run.batchSize) {
                let end = min(start + run.batchSize, count)
                let xb = x.sliced(dim: 0, start: start, end: end), yb = y.sliced(dim: 0, start: start, end: end)
                optimizer.zeroGrad()
                let output = model(xb)
                let loss: Tensor
                switch run.loss {
                case "cross_entropy": loss = crossEntropy(logits: output, targets: yb)
                case "mse": loss = mseLoss(output, yb)
                default: throw XCTSkip("\(run.name): unknown loss \(run.loss)")
                }
                loss.backward()
                if let maxNorm = run.gradientClipNorm { clipGradNorm(parameters, maxNorm: maxNorm) }
                optimizer.step()
                losses.append(Double(loss.item()))
            }
        }

        var worst = (error: 0.0, what: "")
        func check(_ actual: [Double], _ expected: [Double], _ what: String) {
            XCTAssertEqual(actual.count, expected.count, "\(label): \(what) count")
            for (i, (a, e)) in zip(actual, expected).enumerated() {
                let error = relativeError(a, e)
                if error > worst.error { worst = (error, "\(label) \(what)[\(i)]") }
                if !(error <= tolerance) {
                    XCTFail("\(label): \(what)[\(i)] is \(a), PyTorch has \(e) (relative error \(error))")
                    return
                }
            }
        }
        check(losses, run.lossPerStep, "loss per step")
        let state = model.stateDict()
        XCTAssertEqual(Set(state.keys), Set(run.finalStateDict.keys), "\(label): state-dict keys")
        let lr = try XCTUnwrap(run.optimizer["lr"]?.double)
        for (key, expected) in run.finalStateDict.sorted(by: { $0.key < $1.key }) {
            guard let actual = state[key] else { continue }
            XCTAssertEqual(actual.shape, expected.shape, "\(label): \(key) shape")
            if actual.dtype == .int64 {
                XCTAssertEqual(actual.int64Scalars, expected.data.map { Int64($0) }, "\(label): \(key)")
            } else if roundingDetermined[run.name]?.contains(key) == true {
                // Both runs move the entry by up to lr per step, in either direction.
                let bound = 2 * lr * Double(losses.count)
                let gap = zip(actual.scalars.map(Double.init), expected.data).map { abs($0 - $1) }.max() ?? 0
                print("training parity: \(label) \(key) is rounding-determined; largest gap \(gap) (bound \(bound))")
                XCTAssertLessThanOrEqual(gap, bound, "\(label): \(key) is further from PyTorch's than two Adam runs can drift apart")
            } else {
                check(actual.scalars.map(Double.init), expected.data, key)
            }
        }
        return worst
    }

    /// |a − e| / |e|, except that values within 1e-3 of zero are compared absolutely (scaled to
    /// 1e-3), where a relative error says nothing about float32 agreement.
    private func relativeError(_ actual: Double, _ expected: Double) -> Double {
        abs(actual - expected) / max(abs(expected), 1e-3)
    }
}

/// `training.json`: the PyTorch version and its runs.
private struct TrainingFixture: Decodable {
    let runs: [TrainingRun]
}

/// One training run: model, data, optimizer and the reference results.
private struct TrainingRun: Decodable {
    let name: String
    let architecture: String
    let initStateDict: [String: FixtureTensor]
    let x: FixtureTensor
    let y: FixtureTensor
    let optimizer: [String: FixtureValue]
    let batchSize: Int
    let epochs: Int
    let shuffle: Bool
    let loss: String
    let gradientClipNorm: Double?
    let lossPerStep: [Double]
    let finalStateDict: [String: FixtureTensor]

    enum CodingKeys: String, CodingKey {
        case name, architecture, x, y, optimizer, epochs, shuffle, loss
        case initStateDict = "init_state_dict", batchSize = "batch_size", gradientClipNorm = "gradient_clip_norm"
        case lossPerStep = "loss_per_step", finalStateDict = "final_state_dict"
    }
}
