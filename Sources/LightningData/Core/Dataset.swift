/// A collection of samples addressed by index, like PyTorch's map-style `Dataset`.
///
/// A `DataLoader` reads samples from its worker thread, so a dataset must be safe to read from
/// another thread while nothing writes to it (every dataset in this module is immutable).
public protocol Dataset<Element> {
    /// One sample, e.g. `(Tensor, Tensor)` for an input and its label.
    associatedtype Element

    /// The number of samples.
    var count: Int { get }

    /// The sample at `index` in `0..<count`.
    subscript(index: Int) -> Element { get }

    /// The sample at `index` as a loader draws it in `context` (its seed and epoch); differs
    /// from `self[index]` only for randomized transforms (``TransformedDataset``).
    func sample(at index: Int, context: SampleContext) -> Element

    /// The samples at `indices` already collated into one batch of the same structure (each
    /// tensor stacked along a new first dimension), or `nil` when the dataset has no path faster
    /// than collating its samples one by one.
    ///
    /// `DataLoader` calls it with the default collation so tensor-backed datasets can copy whole
    /// rows into the batch instead of materializing a tensor per sample.
    func batch(at indices: [Int]) -> Element?
}

extension Dataset {
    /// No fast path: the loader collates samples one by one.
    public func batch(at indices: [Int]) -> Element? { nil }

    /// No randomness: `self[index]`.
    public func sample(at index: Int, context: SampleContext) -> Element { self[index] }
}

/// Stops with a message naming `op` when `index` is outside `0..<count`.
@inline(__always)
func checkIndex(_ index: Int, count: Int, op: String) {
    if index < 0 || index >= count {
        tensorFailure(op, "index \(index) is out of range for a dataset of \(count) samples")
    }
}
