/// A request a ``DataLoader`` cannot honour.
public enum DataLoaderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A resume position outside `0...batchesPerEpoch` batches (or a negative epoch).
    case positionOutOfRange(DataLoaderPosition, batchesPerEpoch: Int)

    /// What is wrong, and the likely cause.
    public var description: String {
        switch self {
        case .positionOutOfRange(let p, let n):
            return "DataLoader: cannot resume at \(p): this loader has \(n) batches per epoch (was the position saved with another batch size, dataset or world size?)"
        }
    }
}
