import LightningCUDA

/// Elementwise ops on a GPU, with the gradients of their CPU rules.
extension Tensor {
    /// `a op b` with broadcasting; add, sub, mul and div record their gradients, comparisons none.
    static func cudaBinary(_ kernel: BinaryKernelOp, _ a: Tensor, _ b: Tensor, name: String) -> Tensor {
        let out = CUDAKernels.binary(kernel, a, b, name: name)
        let sa = a.shape, sb = b.shape
        switch kernel {
        case .add:
            return recorded(name, out, inputs: [a, b]) { g in [CUDAKernels.sumTo(g, sa), CUDAKernels.sumTo(g, sb)] }
        case .sub:
            return recorded(name, out, inputs: [a, b]) { g in
                [CUDAKernels.sumTo(g, sa), CUDAKernels.sumTo(CUDAKernels.unary(.neg, g, name: name), sb)]
            }
        case .mul:
            let x = a.detached(), y = b.detached(), ra = a.requiresGrad, rb = b.requiresGrad
            return recorded(name, out, inputs: [a, b]) { g in
                [ra ? CUDAKernels.sumTo(CUDAKernels.binary(.mul, g, y, name: name), sa) : nil,
                 rb ? CUDAKernels.sumTo(CUDAKernels.binary(.mul, g, x, name: name), sb) : nil]
            }
        case .div:
            let x = a.detached(), y = b.detached(), ra = a.requiresGrad, rb = b.requiresGrad
            return recorded(name, out, inputs: [a, b]) { g in
                [ra ? CUDAKernels.sumTo(CUDAKernels.binary(.div, g, y, name: name), sa) : nil,
                 rb ? CUDAKernels.sumTo(CUDAKernels.binary(.mul, g, CUDAKernels.binary(.divisorGradient, x, y, name: name), name: name), sb) : nil]
            }
        default:
            return out
        }
    }

    /// `op(self)` elementwise, recording `g · op'(x)`.
    func cudaUnary(_ kernel: UnaryKernelOp, a: Float = 0, b: Float = 0, name: String) -> Tensor {
        let out = CUDAKernels.unary(kernel, self, a: a, b: b, name: name)
        guard GradMode.isEnabled && requiresGrad else { return out }
        let x = detached(), y = out
        return Tensor.recorded(name, out, inputs: [self]) { g in [CUDAKernels.unaryBackward(kernel, g, x: x, y: y, a: a, b: b, name: name)] }
    }
}
