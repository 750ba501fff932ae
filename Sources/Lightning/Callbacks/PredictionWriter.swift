import Foundation

/// Writes the gathered predictions of `predict` to one file on rank 0, in dataset order: `.npy`,
/// `.csv` (one row per sample) or `.safetensors` (tensor `predictions`), chosen by extension.
public final class PredictionWriter: Callback {
    /// The output file.
    public let path: String

    /// A writer to `path` (`.npy`, `.csv` or `.safetensors`).
    public init(path: String) {
        self.path = path
    }

    /// Concatenates the batches along the first dimension and writes them.
    func write(_ batches: [Tensor]) throws {
        guard let first = batches.first else {
            throw LightningError.misconfiguration("PredictionWriter(\(path)): predict produced no outputs")
        }
        let all = batches.count == 1 ? first : Tensor.cat(batches, dim: 0)
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        switch (path as NSString).pathExtension.lowercased() {
        case "npy": try NPY.write(all, to: path)
        case "safetensors": try Safetensors.write(["predictions": all], to: path)
        case "csv": try writeAtomically(csvText(all), to: path)
        default:
            throw LightningError.misconfiguration("PredictionWriter(\(path)): unknown extension; use .npy, .csv or .safetensors")
        }
    }

    private func csvText(_ tensor: Tensor) -> String {
        let rows = tensor.shape.first ?? 1
        let width = rows == 0 ? 0 : tensor.count / rows
        let values: [String] = tensor.dtype == .int64
            ? tensor.withUnsafeInt64BufferPointer { $0.map { "\($0)" } }
            : tensor.withUnsafeBufferPointer { $0.map { "\($0)" } }
        var text = (0..<width).map { "output_\($0)" }.joined(separator: ",") + "\n"
        for r in 0..<rows {
            text += values[(r * width)..<((r + 1) * width)].joined(separator: ",") + "\n"
        }
        return text
    }
}
