import Foundation
import Lightning
import LightningTestSupport
import XCTest
@testable import LightningCLI

/// The CLI's one line per epoch shows that epoch's values: with a learning rate that halves
/// every epoch, the line of epoch e carries lr₀ · γᵉ, the rate the epoch trained with.
final class EpochSummaryTests: XCTestCase {
    final class Halving: LightningModule {
        let net = Linear(4, 3)
        static let rate = 0.1, gamma = 0.5
        func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
            let loss = crossEntropy(logits: net(batch.0), targets: batch.1)
            log("train_loss", loss, onStep: false, onEpoch: true)
            return loss
        }
        func configureOptimizers() -> OptimizerConfig {
            let sgd = SGD(parameters(), lr: Self.rate)
            return .init(sgd, scheduler: LRSchedulerConfig(StepLR(sgd, stepSize: 1, gamma: Self.gamma), interval: .epoch))
        }
    }

    func testEachLineCarriesTheRateItsEpochTrainedWith() throws {
        let epochs = 4
        var lines: [String] = []
        let summary = EpochSummary { lines.append($0) }
        let x = Tensor.randn([12, 4], generator: Generator(seed: 1))
        let y = Tensor(shape: [12], int64Scalars: (0..<12).map { Int64($0 % 3) })
        let directory = makeTemporaryDirectory()
        let trainer = Trainer(maxEpochs: epochs, enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path,
                              callbacks: [LearningRateMonitor(), summary], logger: .logger(CSVLogger(saveDir: directory.path)))
        try trainer.fit(Halving(), trainDataloaders: DataLoader(TensorDataset(x, y), batchSize: 4))
        XCTAssertEqual(lines.count, epochs, "\(lines)")
        for (epoch, line) in lines.enumerated() {
            XCTAssertTrue(line.hasPrefix("epoch \(epoch) "), line)
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            let index = try XCTUnwrap(words.firstIndex(of: "lr-SGD"), line)
            let shown = try XCTUnwrap(Double(words[index + 1]), line)
            XCTAssertEqual(shown, Halving.rate * pow(Halving.gamma, Double(epoch)), accuracy: 5e-5, line)
        }
    }
}
