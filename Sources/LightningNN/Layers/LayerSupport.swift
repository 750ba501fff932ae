/// Helpers shared by the layers: PyTorch's default initialization and its print-out spelling.
enum LayerSupport {
    /// PyTorch's default for Linear and Conv weights and biases: U(−b, b) with b = 1/√fanIn.
    ///
    /// The weight's `kaiming_uniform_(a=√5)` gives gain √(1/3), so its bound √3·gain/√fanIn is
    /// exactly 1/√fanIn, the same as the bias's; a layer with no inputs gets zeros.
    static func defaultUniform(_ shape: [Int], fanIn: Int, generator: Generator) -> Tensor {
        let bound = fanIn > 0 ? Float(1 / Double(fanIn).squareRoot()) : 0
        return Tensor.rand(shape, low: -bound, high: bound, generator: generator)
    }

    /// Python's spelling of a Bool (`True`/`False`).
    static func python(_ flag: Bool) -> String { flag ? "True" : "False" }

    /// Python's spelling of a float; Swift's shortest round-trip form matches it (`1.0`, `1e-05`).
    static func python(_ value: Float) -> String { value.description }

    /// Python's spelling of an int tuple: `(3, 3)`, or `(3,)` for one element.
    static func pythonTuple(_ values: [Int]) -> String {
        values.count == 1 ? "(\(values[0]),)" : "(" + values.map(String.init).joined(separator: ", ") + ")"
    }

    /// Python's spelling of a pooling argument: a plain int when it was given as one.
    static func pythonSize(_ value: (Int, Int), square: Bool) -> String {
        square ? String(value.0) : pythonTuple([value.0, value.1])
    }

    /// Runs `body` on `input` with a batch dimension added when `input` has rank `unbatchedRank`
    /// (PyTorch's layers accept one unbatched sample), removing it again from the result.
    static func batched(_ input: Tensor, unbatchedRank: Int, _ body: (Tensor) -> Tensor) -> Tensor {
        guard input.rank == unbatchedRank else { return body(input) }
        return body(input.unsqueezed(dim: 0)).squeezed(dim: 0)
    }
}
