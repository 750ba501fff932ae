import LightningCUDA
/// Comparisons and selections used by metrics (no gradients).
extension Tensor {
    /// `1` where the elements are equal, else `0` (float32), with broadcasting; works for int64.
    public func equal(_ other: Tensor) -> Tensor { compare(other, "eq", .equal) { $0 == $1 } }
    /// `1` where `self > other`, else `0`.
    public func greater(_ other: Tensor) -> Tensor { compare(other, "gt", .greater) { $0 > $1 } }
    /// `1` where `self < other`, else `0`.
    public func less(_ other: Tensor) -> Tensor { compare(other, "lt", .less) { $0 < $1 } }
    /// `1` where `self >= other`, else `0`.
    public func greaterEqual(_ other: Tensor) -> Tensor { compare(other, "ge", .greaterEqual) { $0 >= $1 } }
    /// `1` where `self <= other`, else `0`.
    public func lessEqual(_ other: Tensor) -> Tensor { compare(other, "le", .lessEqual) { $0 <= $1 } }

    private func compare(_ other: Tensor, _ op: String, _ kernel: BinaryKernelOp, _ f: (Double, Double) -> Bool) -> Tensor {
        if dtype != other.dtype {
            tensorFailure(op, "cannot compare \(dtype) \(shapeText(shape)) with \(other.dtype) \(shapeText(other.shape))")
        }
        requireSameDevice(other, op: op)
        if case .cuda = device {
            // int64 labels compare exactly as float32 below 2^24, as on the CPU.
            let a = dtype == .int64 ? CUDAKernels.cast(self, to: .float32) : self
            let b = dtype == .int64 ? CUDAKernels.cast(other, to: .float32) : other
            return CUDAKernels.binary(kernel, a, b, name: op)
        }
        if dtype == .int64 {
            return Kernels.binary(converted(to: .float32), other.converted(to: .float32), op: op) { f(Double($0), Double($1)) ? 1 : 0 }
        }
        return Kernels.binary(self, other, op: op) { f(Double($0), Double($1)) ? 1 : 0 }
    }

    /// Picks `a` where `condition` is nonzero, else `b` (broadcast); gradients flow to `a` and `b`.
    public static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        condition.requireDType(.float32, op: "where")
        a.requireFloatPair(b, op: "where")
        condition.requireSameDevice(a, op: "where")
        let shape = Kernels.broadcastShape(Kernels.broadcastShape(condition.shape, a.shape, op: "where"), b.shape, op: "where")
        if case .cuda = a.device {
            let c = CUDAKernels.expand(condition.detached(), to: shape)
            let out = CUDAKernels.select(c, CUDAKernels.expand(a.detached(), to: shape), CUDAKernels.expand(b.detached(), to: shape))
            let sa = a.shape, sb = b.shape
            return recorded("where", out, inputs: [a, b]) { g in
                let zeros = Tensor.zeros(g.shape, device: g.device)
                return [CUDAKernels.sumTo(CUDAKernels.select(c, g, zeros), sa), CUDAKernels.sumTo(CUDAKernels.select(c, zeros, g), sb)]
            }
        }
        let c = condition.expandedCopy(to: shape), x = a.expandedCopy(to: shape), y = b.expandedCopy(to: shape)
        let out = Kernels.zip3(c, x, y) { $0 != 0 ? $1 : $2 }
        let sa = a.shape, sb = b.shape
        return recorded("where", out, inputs: [a, b]) { g in
            [Kernels.sumTo(Kernels.zip(g, c) { $1 != 0 ? $0 : 0 }, sa), Kernels.sumTo(Kernels.zip(g, c) { $1 != 0 ? 0 : $0 }, sb)]
        }
    }
}

/// The fraction of rows of `logits` `[N, C]` whose argmax equals the int64 `targets` `[N]`.
public func accuracy(logits: Tensor, targets: Tensor) -> Tensor {
    if logits.rank != 2 || targets.shape != [logits.shape[0]] || targets.dtype != .int64 {
        tensorFailure("accuracy", "expected logits [N, C] and int64 targets [N], got \(shapeText(logits.shape)) and \(targets.dtype) \(shapeText(targets.shape))")
    }
    logits.requireSameDevice(targets, op: "accuracy")
    if case .cuda = logits.device { return noGrad { logits.argmax(dim: 1).equal(targets).mean() } }
    return noGrad {
        let predicted = logits.argmax(dim: 1)
        var correct = 0
        let p = predicted.int64s, t = targets.int64s
        for i in 0..<targets.count where p[i] == t[i] { correct += 1 }
        return Tensor(Float(correct) / Float(Swift.max(targets.count, 1)))
    }
}
