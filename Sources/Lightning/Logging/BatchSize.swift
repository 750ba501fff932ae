/// Infers the batch size that weights an epoch mean: the first dimension of the batch when it is
/// a tensor, or of its first tensor when it is a tuple, array or dictionary of tensors.
enum BatchSize {
    /// The batch size of `batch`, or `nil` when its structure does not say.
    static func infer(_ batch: Any) -> Int? {
        if let tensor = batch as? Tensor { return tensor.shape.first }
        if let tensors = batch as? [Tensor] { return tensors.first.flatMap { $0.shape.first } }
        if let named = batch as? [String: Tensor] { return named.keys.sorted().first.flatMap { named[$0]?.shape.first } }
        let mirror = Mirror(reflecting: batch)
        if mirror.displayStyle == .tuple, let first = mirror.children.first {
            return infer(first.value)
        }
        return nil
    }
}
