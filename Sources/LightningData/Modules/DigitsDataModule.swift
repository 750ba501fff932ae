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
public final class DigitsDataModule: TensorDataModule {
    /// The number of images in the bundled file.
    public static let sampleCount = 1797
    /// The number of classes (digits 0–9).
    public static let classCount = 10

    /// Whether images are flat `[64]` vectors rather than `[1, 8, 8]`.
    public let flat: Bool

    /// A data module over the bundled digits.
    public init(batchSize: Int = 64, valFraction: Double = 0.1, testFraction: Double = 0.1, seed: UInt64 = 42, flat: Bool = true) {
        self.flat = flat
        super.init(batchSize: batchSize, valFraction: valFraction, testFraction: testFraction, seed: seed) {
            try DigitsDataModule.loadDataset(flat: flat)
        }
    }

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
}
