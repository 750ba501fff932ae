import Foundation

/// The UCI optical recognition of handwritten digits dataset, bundled with the package:
/// 1797 images of 8×8 pixels, 10 classes, pixels scaled from 0…16 to `[0, 1]`.
///
/// Data: E. Alpaydin, C. Kaynak, "Optical Recognition of Handwritten Digits", UCI Machine
/// Learning Repository, CC BY 4.0 (https://doi.org/10.24432/C50P49).
///
/// Batches are `(images, labels)`: images float32 `[batch, 64]` (or `[batch, 1, 8, 8]` when not
/// `flat`), labels int64 `[batch]`. The train/val/test split is drawn from `seed`; prediction
/// runs on the test split.
public final class DigitsDataModule: DataModule {
    /// `(images, labels)`.
    public typealias Batch = (Tensor, Tensor)

    /// The number of images in the bundled file.
    public static let sampleCount = 1797
    /// The number of classes (digits 0–9).
    public static let classCount = 10

    /// Whether images are flat `[64]` vectors rather than `[1, 8, 8]`.
    public let flat: Bool
    /// Loading, splitting and batching, shared with other tensor-backed modules.
    private let data: TensorDataModule

    /// A data module over the bundled digits.
    public init(batchSize: Int = 64, valFraction: Double = 0.1, testFraction: Double = 0.1, seed: UInt64 = 42, flat: Bool = true) {
        self.flat = flat
        data = TensorDataModule(batchSize: batchSize, valFraction: valFraction, testFraction: testFraction, seed: seed) {
            try DigitsDataModule.loadDataset(flat: flat)
        }
    }

    /// Samples per batch.
    public var batchSize: Int { data.batchSize }
    /// The share of samples held out for validation.
    public var valFraction: Double { data.valFraction }
    /// The share of samples held out for testing (and prediction).
    public var testFraction: Double { data.testFraction }
    /// Seeds the split and the training shuffle.
    public var seed: UInt64 { data.seed }
    /// The split, once ``setup(stage:)`` has run.
    public var splits: DatasetSplits<TensorDataset<(Tensor, Tensor)>>? { data.splits }

    /// The path of the bundled CSV (`pixel0` … `pixel63`, `label`).
    public static var csvPath: String {
        guard let url = Bundle.module.url(forResource: "digits", withExtension: "csv") else {
            tensorFailure("DigitsDataModule", "the bundled digits.csv is missing from the LightningData resource bundle")
        }
        return url.path
    }

    /// All 1797 samples, pixels scaled to `[0, 1]`, images flat or `[1, 8, 8]`.
    public static func loadDataset(flat: Bool = true) throws -> TensorDataset<(Tensor, Tensor)> {
        let table = try CSV.read(path: csvPath, labelColumn: .name("label"))
        let pixels = table.features
        pixels.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] *= 1 / 16 }
        }
        let images = flat ? pixels
            : Tensor(storage: pixels.storage, shape: [pixels.shape[0], 1, 8, 8], dtype: .float32, offset: pixels.offset)
        return TensorDataset(images, table.labels!)
    }

    /// Reads and splits the data (the same split for every stage; later calls do nothing).
    public func setup(stage: Stage) throws { try data.setup(stage: stage) }
    /// Drops the loaded data.
    public func teardown(stage: Stage) throws { try data.teardown(stage: stage) }
    /// Shuffled training batches (a new order each epoch, seeded by `seed`).
    public func trainDataLoader() throws -> DataLoader<Batch>? { try data.trainDataLoader() }
    /// Validation batches in a fixed order; `nil` when `valFraction` is 0.
    public func valDataLoader() throws -> DataLoader<Batch>? { try data.valDataLoader() }
    /// Test batches in a fixed order; `nil` when `testFraction` is 0.
    public func testDataLoader() throws -> DataLoader<Batch>? { try data.testDataLoader() }
    /// The test split, for inference.
    public func predictDataLoader() throws -> DataLoader<Batch>? { try data.predictDataLoader() }
}
