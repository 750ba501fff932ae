import Lightning

/// The same synthetic 4-class problem on every rank: 12 features, labels from a fixed linear map.
enum ProbeData {
    static func dataset(count: Int, seed: UInt64) -> TensorDataset<(Tensor, Tensor)> {
        let generator = Generator(seed: seed)
        let x = Tensor.randn([count, 12], generator: generator)
        let w = Tensor.randn([12, 4], generator: generator)
        let y = x.matmul(w).argmax(dim: 1)
        return TensorDataset(x, y)
    }
}
