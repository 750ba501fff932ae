import COpenBLAS

/// Multiplies elements in place by a factor (the `÷ worldSize` of a mean).
///
/// BLAS's `scal` runs vectorized even in debug builds, where a Swift loop over a gradient
/// buffer would cost more than the allreduce itself.
enum BufferScaling {
    /// Scales `count` floating-point elements of type `element` at `base` by `factor`.
    static func scale(_ base: UnsafeMutableRawPointer, count: Int, element: CollectiveElement, by factor: Double) {
        var done = 0
        while done < count {
            let n = min(count - done, Int(Int32.max))
            switch element {
            case .float32:
                cblas_sscal(Int32(n), Float(factor), base.assumingMemoryBound(to: Float.self) + done, 1)
            case .float64:
                cblas_dscal(Int32(n), factor, base.assumingMemoryBound(to: Double.self) + done, 1)
            case .int64, .uint8:
                preconditionFailure("BufferScaling: \(element) is not floating point (ReduceOp rejects mean first)")
            }
            done += n
        }
    }
}
