/// The samples of `base` at the given indices, in that order (PyTorch's `Subset`).
public struct Subset<Base: Dataset>: Dataset {
    /// The dataset the indices point into.
    public let base: Base
    /// The base indices, one per sample of the subset.
    public let indices: [Int]

    /// A subset of `base`; every index must be in `0..<base.count`.
    public init(_ base: Base, indices: [Int]) {
        for i in indices { checkIndex(i, count: base.count, op: "Subset") }
        self.base = base
        self.indices = indices
    }

    /// The number of samples.
    public var count: Int { indices.count }

    /// Sample `index` of the subset, `base[indices[index]]`.
    public subscript(index: Int) -> Base.Element {
        checkIndex(index, count: indices.count, op: "Subset")
        return base[indices[index]]
    }

    /// Sample `index` of the subset as `base` draws it in `context`.
    public func sample(at index: Int, context: SampleContext) -> Base.Element {
        checkIndex(index, count: indices.count, op: "Subset")
        return base.sample(at: indices[index], context: context)
    }

    /// The base's fast batch path, with indices translated.
    public func batch(at batchIndices: [Int]) -> Base.Element? {
        let n = indices.count
        return base.batch(at: batchIndices.map { i in
            checkIndex(i, count: n, op: "Subset")
            return indices[i]
        })
    }
}
