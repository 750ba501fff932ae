/// A generated dataset of any size, identical for the same seed on every platform: for
/// benchmarks and smoke tests that should not depend on files.
///
/// Batches are `(inputs, targets)`: inputs float32 `[batch, features]`; targets int64
/// `[batch]` for classification, float32 `[batch, outputs]` for regression.
public final class SyntheticDataModule: TensorDataModule {
    /// What the targets are.
    public enum Task: Sendable, Equatable {
        /// Gaussian clusters, one centre per class; targets are int64 class indices.
        case classification(classes: Int)
        /// A random linear map plus noise; targets are float32 `[outputs]` vectors.
        case regression(outputs: Int)
    }

    /// The kind of targets.
    public let task: Task
    /// The total number of samples, before splitting.
    public let samples: Int
    /// Input features per sample.
    public let features: Int
    /// The standard deviation of the noise added to inputs (classification) or targets (regression).
    public let noise: Float

    /// A synthetic data module.
    public init(task: Task = .classification(classes: 10), samples: Int = 1024, features: Int = 32, batchSize: Int = 32,
                valFraction: Double = 0.1, testFraction: Double = 0.1, noise: Float = 0.5, seed: UInt64 = 0) {
        if samples < 0 || features < 1 {
            tensorFailure("SyntheticDataModule", "samples \(samples) must be non-negative and features \(features) positive")
        }
        self.task = task
        self.samples = samples
        self.features = features
        self.noise = noise
        super.init(batchSize: batchSize, valFraction: valFraction, testFraction: testFraction, seed: seed) {
            SyntheticDataModule.makeDataset(task: task, samples: samples, features: features, noise: noise, seed: seed)
        }
    }

    /// Generates the whole dataset (before splitting).
    public static func makeDataset(task: Task, samples: Int, features: Int, noise: Float, seed: UInt64) -> TensorDataset<(Tensor, Tensor)> {
        let g = Generator(seed: seed)
        switch task {
        case .classification(let classes):
            if classes < 1 { tensorFailure("SyntheticDataModule", "classes \(classes) must be at least 1") }
            // Centres spread with standard deviation 2 against noise of 0.5 (the default) keep
            // the classes separable enough to learn, yet not linearly trivial in few features.
            let centres = Tensor.randn([classes, features], std: 2, generator: g)
            let labels = Tensor(shape: [samples], int64Scalars: (0..<samples).map { _ in g.nextInt(in: 0..<Int64(classes)) })
            let inputs = Tensor.randn([samples, features], std: noise, generator: g)
            let x = inputs.floats, c = centres.floats, y = labels.int64s
            for i in 0..<samples {
                let centre = c + Int(y[i]) * features
                for j in 0..<features { x[i * features + j] += centre[j] }
            }
            return TensorDataset(inputs, labels)
        case .regression(let outputs):
            if outputs < 1 { tensorFailure("SyntheticDataModule", "outputs \(outputs) must be at least 1") }
            let weight = Tensor.randn([features, outputs], std: 1 / Float(features).squareRoot(), generator: g)
            let bias = Tensor.randn([outputs], generator: g)
            let inputs = Tensor.randn([samples, features], generator: g)
            let targets = Tensor.randn([samples, outputs], std: noise, generator: g)
            let x = inputs.floats, w = weight.floats, b = bias.floats, t = targets.floats
            for i in 0..<samples {
                for o in 0..<outputs {
                    var sum = b[o]
                    for j in 0..<features { sum += x[i * features + j] * w[j * outputs + o] }
                    t[i * outputs + o] += sum
                }
            }
            return TensorDataset(inputs, targets)
        }
    }
}
