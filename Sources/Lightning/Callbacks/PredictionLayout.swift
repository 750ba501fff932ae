/// The dtype and per-sample shape of every prediction row, agreed by all ranks before any file is
/// written: a `.npy` or safetensors header (and so every row's offset) follows from it and the
/// total row count alone.
struct PredictionLayout: Equatable {
    /// The outputs' dtype.
    let dtype: DType
    /// The shape of one sample's output (an output's shape without its first, batch dimension).
    let trailing: [Int]

    /// Values per row.
    var width: Int { trailing.reduce(1, *) }
    /// Bytes per row in a row-major file.
    var rowBytes: Int { width * dtype.byteSize }

    /// The layout of `output`, a batch of rows.
    init(of output: Tensor) {
        dtype = output.dtype
        trailing = Array(output.shape.dropFirst())
    }

    private init(dtype: DType, trailing: [Int]) {
        self.dtype = dtype
        self.trailing = trailing
    }

    /// The layout every rank's first output has; every rank calls it once, those without outputs
    /// with `nil`. Throws on every rank when no rank has an output or two ranks' layouts differ,
    /// so all ranks take the same branch.
    static func agree(first output: Tensor?, strategy: any Strategy, writerPath: String) throws -> PredictionLayout {
        // Encoded as [dtype (0 float32, 1 int64)] + trailing, or [] for no output.
        let own = output.map { [$0.dtype == .float32 ? 0 : 1] + Array($0.shape.dropFirst()) } ?? []
        let all = try strategy.allGather(own)
        let described = all.filter { !$0.isEmpty }
        guard let reference = described.first else {
            throw LightningError.misconfiguration("PredictionWriter(\(writerPath)): predict produced no outputs")
        }
        guard described.allSatisfy({ $0 == reference }) else {
            throw LightningError.misconfiguration("predict: ranks returned outputs of different dtypes or shapes: \(all)")
        }
        return PredictionLayout(dtype: reference[0] == 0 ? .float32 : .int64, trailing: Array(reference.dropFirst()))
    }

    /// The error for an output that does not match the agreed layout or its batch's sample count.
    func check(_ output: Tensor, rows: Int, rank: Int) throws {
        guard output.shape.first == rows else {
            throw LightningError.misconfiguration("predict: rank \(rank)'s output has \(output.shape.first ?? 0) rows for \(rows) samples; predictStep must return one row per sample")
        }
        guard PredictionLayout(of: output) == self else {
            throw LightningError.misconfiguration("predict: outputs of different dtypes or shapes: \(dtype) \(trailing) and then \(output.dtype) \(Array(output.shape.dropFirst()))")
        }
    }
}
