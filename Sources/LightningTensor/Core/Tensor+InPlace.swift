import LightningCUDA

/// In-place updates that work on every device (optimizers, gradient clipping, zeroing
/// gradients): they write through the storage, as ``withUnsafeMutableBufferPointer(_:)`` does.
extension Tensor {
    /// Sets every element to `value`, in place (PyTorch's `fill_`); seen by every view of the storage.
    public func fill(_ value: Float) {
        if case .cuda = device { return CUDAKernels.fill(self, value) }
        switch dtype {
        case .float32: floats.update(repeating: value, count: count)
        case .int64: int64s.update(repeating: Int64(value), count: count)
        }
    }

    /// Overwrites the elements with `source`'s (same count and dtype, any devices), in place
    /// (PyTorch's `copy_`); seen by every view of the storage.
    public func copy(from source: Tensor) {
        usagePrecondition(source.count == count && source.dtype == dtype,
                          "copy(from:): \(shapeText(source.shape)) \(source.dtype) into \(shapeText(shape)) \(dtype)")
        Kernels.copy(from: source, to: self)
    }

    /// Multiplies every float32 element by `factor`, in place.
    package func scaleInPlace(by factor: Float) {
        requireDType(.float32, op: "mul_")
        if case .cuda = device {
            return CUDAKernels.launch("scale_in_place", .optimizers, on: CUDAKernels.ordinal(self), elements: count,
                                      [CUDAKernels.pointer(self), .int64(Int64(count)), .float(factor)], op: "mul_")
        }
        let x = floats
        for i in 0..<count { x[i] *= factor }
    }

    /// Clamps every float32 element to `[low, high]`, in place; NaN stays NaN.
    package func clampInPlace(low: Float, high: Float) {
        requireDType(.float32, op: "clamp_")
        if case .cuda = device {
            return CUDAKernels.launch("clamp_in_place", .optimizers, on: CUDAKernels.ordinal(self), elements: count,
                                      [CUDAKernels.pointer(self), .int64(Int64(count)), .float(low), .float(high)], op: "clamp_")
        }
        let x = floats
        for i in 0..<count {
            let v = x[i]
            x[i] = v > high ? high : (v < low ? low : v)
        }
    }

    /// The sum of the squared elements, accumulated on the tensor's device (a GPU sums in float32
    /// in a fixed order; the CPU in double).
    package func sumOfSquares() -> Double {
        requireDType(.float32, op: "norm")
        if case .cuda = device { return Double(CUDAKernels.reduceAll(.sumOfSquares, self, name: "norm").item()) }
        let x = floats
        var total: Double = 0
        for i in 0..<count { total += Double(x[i]) * Double(x[i]) }
        return total
    }
}
