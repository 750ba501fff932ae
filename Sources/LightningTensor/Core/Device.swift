/// Where a tensor's elements live: host memory, or the memory of one CUDA GPU (its ordinal among
/// the GPUs this process sees, after `CUDA_VISIBLE_DEVICES`), as PyTorch's `torch.device`.
public enum Device: Hashable, Sendable, CustomStringConvertible {
    /// Host memory; every tensor's default.
    case cpu
    /// The GPU of this ordinal.
    case cuda(Int)

    /// `cpu`, `cuda:0`, … as PyTorch prints devices.
    public var description: String {
        switch self {
        case .cpu: return "cpu"
        case .cuda(let ordinal): return "cuda:\(ordinal)"
        }
    }

    /// Parses `cpu`, `cuda` (GPU 0) or `cuda:N`; `nil` for anything else.
    public init?(_ text: String) {
        let lowered = text.lowercased()
        if lowered == "cpu" { self = .cpu; return }
        if lowered == "cuda" { self = .cuda(0); return }
        guard lowered.hasPrefix("cuda:"), let ordinal = Int(lowered.dropFirst(5)), ordinal >= 0 else { return nil }
        self = .cuda(ordinal)
    }

    /// Whether this is host memory.
    @inlinable public var isCPU: Bool {
        if case .cpu = self { return true }
        return false
    }
}
