/// A lookup table of `numEmbeddings` vectors of size `embeddingDim`, indexed by int64 tensors of
/// any shape, PyTorch's `nn.Embedding`.
public final class Embedding: Module {
    /// The table, `[numEmbeddings, embeddingDim]`, initialized N(0, 1) with the padding row zeroed.
    public let weight: Parameter
    /// The number of rows.
    public let numEmbeddings: Int
    /// The size of each vector.
    public let embeddingDim: Int
    /// The row that gets no gradient (a padding token), normalized to be non-negative.
    public let paddingIndex: Int?

    /// A table drawn N(0, 1) from `generator`; `paddingIndex` (negative counts from the end) is
    /// zeroed and never trained, as in PyTorch.
    public init(_ numEmbeddings: Int, _ embeddingDim: Int, paddingIndex: Int? = nil, generator: Generator = .default) {
        if numEmbeddings < 1 || embeddingDim < 0 {
            tensorFailure("Embedding", "needs at least one embedding and a non-negative size, got \(numEmbeddings) × \(embeddingDim)")
        }
        if let index = paddingIndex, index >= numEmbeddings || index < -numEmbeddings {
            tensorFailure("Embedding", "padding_idx \(index) must be within num_embeddings (\(numEmbeddings))")
        }
        self.numEmbeddings = numEmbeddings
        self.embeddingDim = embeddingDim
        self.paddingIndex = paddingIndex.map { $0 < 0 ? $0 + numEmbeddings : $0 }
        let table = Tensor.randn([numEmbeddings, embeddingDim], generator: generator)
        if let row = self.paddingIndex {
            table.withUnsafeMutableBufferPointer { values in
                for j in 0..<embeddingDim { values[row * embeddingDim + j] = 0 }
            }
        }
        weight = Parameter(table)
    }

    /// The rows for each index: the result's shape is `input.shape + [embeddingDim]`.
    public override func forward(_ input: Tensor) -> Tensor {
        embedding(input, weight: weight.value, paddingIndex: paddingIndex)
    }

    /// `10, 3` or `10, 3, padding_idx=0`, as PyTorch prints it.
    public override var extraDescription: String {
        "\(numEmbeddings), \(embeddingDim)" + (paddingIndex.map { ", padding_idx=\($0)" } ?? "")
    }
}
