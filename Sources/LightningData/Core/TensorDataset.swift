/// A dataset over tensors that share their first dimension; sample `i` is row `i` of each.
///
/// The sample structure is chosen by the initializer: `TensorDataset(x)` yields `Tensor`,
/// `TensorDataset(x, y)` yields `(Tensor, Tensor)`, `TensorDataset(tensors:)` yields `[Tensor]`.
/// Samples are views (no copy); batches are gathered with one memory copy per row.
public struct TensorDataset<Element>: Dataset {
    /// The underlying tensors, each with `count` rows.
    public let tensors: [Tensor]
    /// The number of samples (rows).
    public let count: Int
    /// Builds a sample or a batch from one tensor per column.
    let assemble: ([Tensor]) -> Element

    /// Wraps `tensors` after checking their first dimensions agree.
    init(checking tensors: [Tensor], assemble: @escaping ([Tensor]) -> Element) {
        guard let first = tensors.first else { tensorFailure("TensorDataset", "needs at least one tensor") }
        for (i, t) in tensors.enumerated() {
            if t.shape.isEmpty {
                tensorFailure("TensorDataset", "tensor \(i) is a scalar; every tensor needs a first (sample) dimension")
            }
            if t.shape[0] != first.shape[0] {
                tensorFailure("TensorDataset", "size mismatch between tensors: tensor 0 has \(first.shape[0]) rows (shape \(first.shape)), tensor \(i) has \(t.shape[0]) (shape \(t.shape))")
            }
        }
        self.tensors = tensors
        self.count = first.shape[0]
        self.assemble = assemble
    }

    /// Sample `index`: row `index` of every tensor, as views.
    public subscript(index: Int) -> Element {
        checkIndex(index, count: count, op: "TensorDataset")
        return assemble(tensors.map { $0.rowView(index) })
    }

    /// Rows `indices` of every tensor copied into new batch tensors.
    public func batch(at indices: [Int]) -> Element? {
        assemble(tensors.map { $0.gatheringRows(indices, op: "TensorDataset") })
    }
}

extension TensorDataset where Element == Tensor {
    /// A dataset whose samples are the rows of `tensor`.
    public init(_ tensor: Tensor) {
        self.init(checking: [tensor]) { $0[0] }
    }
}

extension TensorDataset where Element == (Tensor, Tensor) {
    /// A dataset of `(input, target)` pairs, e.g. features and int64 labels.
    public init(_ first: Tensor, _ second: Tensor) {
        self.init(checking: [first, second]) { ($0[0], $0[1]) }
    }
}

extension TensorDataset where Element == (Tensor, Tensor, Tensor) {
    /// A dataset of triples.
    public init(_ first: Tensor, _ second: Tensor, _ third: Tensor) {
        self.init(checking: [first, second, third]) { ($0[0], $0[1], $0[2]) }
    }
}

extension TensorDataset where Element == [Tensor] {
    /// A dataset whose samples hold one row of each of any number of tensors.
    public init(tensors: [Tensor]) {
        self.init(checking: tensors) { $0 }
    }
}
