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

    /// The maximum or minimum along `d`; the gradient flows to the first extremal element, as on the CPU.
    func cudaExtremum(dim d: Int, keepDim: Bool, minimum: Bool, op: String) -> Tensor {
        let reduced = CUDAKernels.reduce(minimum ? .min : .max, self, dims: [d], name: op)
        let values = keepDim ? reduced.reshaped(to: Kernels.reducedShape(shape, d, keepDim: true)) : reduced
        guard GradMode.isEnabled && requiresGrad else { return values }
        let indices = CUDAKernels.argReduce(self, dim: d, smallest: minimum, name: op)
        let s = shape
        return Tensor.recorded(op, values, inputs: [self]) { g in
            let (outer, n, inner) = Kernels.split(s, d)
            let out = Tensor.zeros(s, device: g.device)
            CUDAKernels.launch("scatter_dim", .reduction, on: CUDAKernels.ordinal(g), elements: outer * inner,
                               [CUDAKernels.pointer(g), CUDAKernels.pointer(indices), CUDAKernels.pointer(out),
                                .int64(Int64(outer)), .int64(Int64(n)), .int64(Int64(inner))], op: op)
            return [out]
        }
    }

    /// The index of the largest (or smallest) element along `d`.
    func cudaArgExtremum(dim d: Int, keepDim: Bool, minimum: Bool) -> Tensor {
        let indices = CUDAKernels.argReduce(self, dim: d, smallest: minimum, name: minimum ? "argmin" : "argmax")
        return keepDim ? indices.reshaped(to: Kernels.reducedShape(shape, d, keepDim: true)) : indices
    }
}
