/// A `torch.save` file (a PyTorch Lightning `.ckpt`) that could not be read: the file and what
/// is wrong with it (a damaged archive, a compressed entry, a global the reader refuses, …).
public struct TorchCheckpointError: Error, CustomStringConvertible, Sendable {
    /// The file.
    public let path: String
    /// What is wrong, in words.
    public let reason: String

    /// An error about `path`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `"<path>: <reason>"`.
    public var description: String { "\(path): \(reason)" }
}

/// A problem found inside the file; ``LightningCheckpoint`` adds the path.
struct TorchFormatError: Error, CustomStringConvertible {
    /// What is wrong, in words.
    let reason: String

    init(_ reason: String) { self.reason = reason }

    var description: String { reason }
}
