import Foundation
import LightningCLI

/// Points of `sin(x)` on [-π, π] with Gaussian noise: a user's own DataModule.
final class SineDataModule: DataModule, DataInfoProviding {
    typealias Batch = (Tensor, Tensor)

    let samples: Int
    let batchSize: Int
    let noise: Float
    private var splits: DatasetSplits<TensorDataset<(Tensor, Tensor)>>?

    init(samples: Int, batchSize: Int, noise: Float) {
        self.samples = samples
        self.batchSize = batchSize
        self.noise = noise
    }

    /// Tells a built-in model (e.g. `--model mlp`) the sample shapes: one input, one target value.
    var dataInfo: DataInfo? { DataInfo(inputShape: [1], targets: .values(1)) }

    func setup(stage: Stage) throws {
        guard splits == nil else { return }
        let generator = Generator(seed: 7)
        let x = Tensor.rand([samples, 1], low: -Float.pi, high: Float.pi, generator: generator)
        let noiseValues = Tensor.randn([samples], std: noise, generator: generator).scalars
        let y = Tensor(shape: [samples, 1], scalars: zip(x.scalars, noiseValues).map { Foundation.sin($0) + $1 })
        splits = DatasetSplits(TensorDataset(x, y), valFraction: 0.2, testFraction: 0.1, seed: 7)
    }

    func trainDataLoader() throws -> DataLoader<Batch>? {
        DataLoader(try loaded().train, batchSize: batchSize, shuffle: true, seed: 7)
    }

    func valDataLoader() throws -> DataLoader<Batch>? { DataLoader(try loaded().val, batchSize: batchSize) }

    func testDataLoader() throws -> DataLoader<Batch>? { DataLoader(try loaded().test, batchSize: batchSize) }

    func predictDataLoader() throws -> DataLoader<Batch>? { try testDataLoader() }

    private func loaded() throws -> DatasetSplits<TensorDataset<(Tensor, Tensor)>> {
        if splits == nil { try setup(stage: .fit) }
        return splits!
    }

    static let samples = ConfigOption("samples", default: 512, help: "points generated", minimum: 16)
    static let batchSize = ConfigOption("batch_size", default: 32, help: "points per batch", minimum: 1)
    static let noise = ConfigOption("noise", default: 0.05, help: "standard deviation of the noise on y", minimum: 0.0)

    static var factory: DataFactory {
        DataFactory("sine", summary: "noisy points of sin(x)", options: [samples, batchSize, noise]) { section in
            SineDataModule(samples: section[samples], batchSize: section[batchSize], noise: Float(section[noise]))
        }
    }
}
