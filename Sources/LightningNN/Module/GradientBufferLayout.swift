/// One contiguous float32 tensor holding every parameter's gradient, and where each one lies.
///
/// Data parallelism all-reduces ``buffer`` in place (whole, or in buckets of ``entries``) with no
/// packing copy, because each parameter's `grad` is a view into it.
public struct GradientBufferLayout {
    /// Where one parameter's gradient lies in the buffer.
    public struct Entry {
        /// The parameter.
        public let parameter: Parameter
        /// The first element of its gradient in the buffer.
        public let offset: Int
        /// Its number of elements.
        public let count: Int
    }

    /// The flat buffer, shape `[total]`.
    public let buffer: Tensor
    /// Parameters in ``Module/parameters(recurse:)`` order, packed back to back.
    public let entries: [Entry]
}

extension GradientBufferLayout {
    /// Gives every parameter of the buffer that has no gradient this step a zero one in its slot,
    /// so a reduction of the whole buffer never reads a stale slot.
    public func fillMissingGradientsWithZeros() {
        for entry in entries { entry.fillMissingGradientWithZeros() }
    }
}

extension GradientBufferLayout.Entry {
    /// Gives the parameter a zero gradient in its slot if it has none this step.
    public func fillMissingGradientWithZeros() {
        guard parameter.grad == nil, let slot = parameter.gradientSlot else { return }
        slot.fill(0)
        parameter.grad = slot
    }
}
