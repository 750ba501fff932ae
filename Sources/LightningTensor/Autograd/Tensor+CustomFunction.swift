/// Operations defined outside this module, with their own derivative (PyTorch's
/// `torch.autograd.Function`): a collective such as a gradient-carrying all-gather.
extension Tensor {
    /// `output`, recorded as the result of an operation named `name` on `inputs`, when grad mode
    /// is on and an input requires a gradient (otherwise `output` itself).
    ///
    /// `backward` receives the gradient of `output` and returns one gradient per input, each of
    /// that input's shape (`nil` where none flows). It must not capture `output` itself (the
    /// graph would keep itself alive); capture detached tensors instead.
    public static func customFunction(_ name: String, output: Tensor, inputs: [Tensor],
                                      backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        recorded(name, output.detached(), inputs: inputs, rule: backward)
    }
}
