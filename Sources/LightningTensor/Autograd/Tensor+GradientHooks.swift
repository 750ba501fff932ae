import Synchronization

/// Removes a hook registered with ``Tensor/registerPostAccumulateGradHook(_:)``.
public struct GradientHookHandle {
    weak var meta: AutogradMeta?
    let id: Int

    /// Unregisters the hook; later backward passes no longer run it (removing twice does nothing).
    public func remove() {
        meta?.postAccumulateHooks.removeAll { $0.id == id }
    }
}

extension Tensor {
    private static let nextHookID = Atomic<Int>(0)

    /// Runs `hook` in each backward pass that reaches this leaf, once its gradient is complete for
    /// that pass (every use of the leaf has accumulated into it), as PyTorch's
    /// `register_post_accumulate_grad_hook`.
    ///
    /// Data parallelism uses it to start reducing a bucket of gradients while backward still
    /// computes the rest. Hooks run on the backward thread, in registration order, with grad mode
    /// off. The hook does not capture the tensor for you: capturing it would keep it alive forever.
    @discardableResult
    public func registerPostAccumulateGradHook(_ hook: @escaping () -> Void) -> GradientHookHandle {
        guard let meta = autograd, meta.gradFn == nil, meta.requiresGrad else {
            tensorFailure("registerPostAccumulateGradHook", "only leaves that require grad accumulate gradients (shape \(shapeText(shape)))")
        }
        let id = Self.nextHookID.wrappingAdd(1, ordering: .relaxed).newValue
        meta.postAccumulateHooks.append((id, hook))
        return GradientHookHandle(meta: meta, id: id)
    }
}
