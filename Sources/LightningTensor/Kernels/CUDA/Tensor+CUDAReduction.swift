import LightningCUDA

/// Reductions and softmax on a GPU, with the CPU rules' gradients.
extension Tensor {
    /// The sum of every element.
    func cudaSum() -> Tensor {
        let out = CUDAKernels.reduceAll(.sum, self, name: "sum")
        let s = shape
        return Tensor.recorded("sum", out, inputs: [self]) { g in [CUDAKernels.expand(g, to: s)] }
    }

    /// The sum along dimension `d`.
    func cudaSum(dim d: Int, keepDim: Bool) -> Tensor {
        let reduced = CUDAKernels.reduce(.sum, self, dims: [d], name: "sum")
        let out = keepDim ? reduced.reshaped(to: Kernels.reducedShape(shape, d, keepDim: true)) : reduced
        let s = shape, kept = Kernels.reducedShape(shape, d, keepDim: true)
        return Tensor.recorded("sum", out, inputs: [self]) { g in [CUDAKernels.expand(g.reshaped(to: kept), to: s)] }
    }

    /// softmax or log-softmax along `d`.
    func cudaSoftmax(dim d: Int, logarithm: Bool) -> Tensor {
        let out = CUDAKernels.softmax(self, dim: d, logarithm: logarithm)
        let y = out
        return Tensor.recorded(logarithm ? "log_softmax" : "softmax", out, inputs: [self]) { g in
            [CUDAKernels.softmaxBackward(g, y: y, dim: d, logarithm: logarithm)]
        }
    }

    /// The maximum or minimum along `d` (no gradient on a GPU yet: stops when one is needed).
    func cudaExtremum(dim d: Int, keepDim: Bool, minimum: Bool, op: String) -> Tensor {
        if GradMode.isEnabled && requiresGrad {
            tensorFailure(op, "the gradient of \(op)(dim:) has no CUDA kernel yet; compute it on the CPU (.to(.cpu)) or under noGrad")
        }
        let values = CUDAKernels.reduce(minimum ? .min : .max, self, dims: [d], name: op)
        return keepDim ? values.reshaped(to: Kernels.reducedShape(shape, d, keepDim: true)) : values
    }

    /// The index of the largest (or smallest) element along `d`.
    func cudaArgExtremum(dim d: Int, keepDim: Bool, minimum: Bool) -> Tensor {
        let indices = CUDAKernels.argReduce(self, dim: d, smallest: minimum, name: minimum ? "argmin" : "argmax")
        return keepDim ? indices.reshaped(to: Kernels.reducedShape(shape, d, keepDim: true)) : indices
    }
}
