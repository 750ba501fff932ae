/// Writes the predictions of `predict` to one file, in dataset order: `.npy`, `.csv` (one row per
/// sample) or `.safetensors` (tensor `predictions`), chosen by extension.
///
/// Outputs are written while `predict` runs, batch by batch, and never collected: under `mpirun`
/// every rank writes its own rows into the one file (on a file system all ranks share), so memory
/// stays at a few batches whatever the dataset's size, and the file equals byte for byte the one
/// a single process writes for the same batches. The file appears at `path` only when complete
/// (it is `path.partial` until then, removed when the run fails). Pass `returnPredictions: false`
/// to `predict` so that the outputs are not kept for its return value either.
public final class PredictionWriter: Callback {
    /// The output file.
    public let path: String
    /// The shape of the array the last `predict` wrote (rows first), on every rank; `nil` before.
    public internal(set) var writtenShape: [Int]?

    /// A writer to `path` (`.npy`, `.csv` or `.safetensors`).
    public init(path: String) {
        self.path = path
    }
}
