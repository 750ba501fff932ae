import LightningCUDA
#if canImport(Glibc)
import Glibc
#endif

/// Checks that a regression loss's input and target agree.
private func requireSameShape(_ op: String, _ input: Tensor, _ target: Tensor) {
    input.requireFloatPair(target, op: op)
    if input.shape != target.shape {
        tensorFailure(op, "input \(shapeText(input.shape)) and target \(shapeText(target.shape)) must have the same shape")
    }
}

/// Builds an elementwise loss `f(x, y)` with input derivative `df` and target derivative `dfdy`
/// (`nil`: the negated input derivative, as for the symmetric distance losses); on a GPU, `kernel`
/// with parameter `a` computes the same function and derivatives.
private func elementwiseLoss(_ op: String, _ input: Tensor, _ target: Tensor, reduction: LossReduction, kernel: PairwiseKernelOp,
                             a: Float = 0, dfdy: ((Float, Float) -> Float)? = nil, _ f: @escaping (Float, Float) -> Float,
                             _ df: @escaping (Float, Float) -> Float) -> Tensor {
    requireSameShape(op, input, target)
    if case .cuda = input.device {
        let x = input.detached(), y = target.detached(), ri = input.requiresGrad, rt = target.requiresGrad
        let raw = Tensor.recorded(op, CUDAKernels.pair(kernel, x, y, a: a, name: op), inputs: [input, target]) { g in
            let (gx, gy) = CUDAKernels.pairBackward(kernel, g, x: x, y: y, a: a, wantX: ri, wantY: rt, name: op)
            return [gx, gy]
        }
        return raw.reduced(reduction)
    }
    let perElement = Kernels.zip(input, target, f)
    let x = input.detached(), y = target.detached()
    let ri = input.requiresGrad, rt = target.requiresGrad
    let raw = Tensor.recorded(op, perElement, inputs: [input, target]) { g in
        let gi = ri ? Kernels.zip3(g, x, y) { gv, xv, yv in gv * df(xv, yv) } : nil
        var gt: Tensor? = nil
        if rt {
            if let dfdy {
                gt = Kernels.zip3(g, x, y) { gv, xv, yv in gv * dfdy(xv, yv) }
            } else {
                gt = Kernels.zip3(g, x, y) { gv, xv, yv in -gv * df(xv, yv) }
            }
        }
        return [gi, gt]
    }
    return raw.reduced(reduction)
}

/// Mean squared error.
public func mseLoss(_ input: Tensor, _ target: Tensor, reduction: LossReduction = .mean) -> Tensor {
    elementwiseLoss("mse_loss", input, target, reduction: reduction, kernel: .squaredError,
                    { x, y in (x - y) * (x - y) }, { x, y in 2 * (x - y) })
}

/// Mean absolute error.
public func l1Loss(_ input: Tensor, _ target: Tensor, reduction: LossReduction = .mean) -> Tensor {
    elementwiseLoss("l1_loss", input, target, reduction: reduction, kernel: .absoluteError,
                    { x, y in Swift.abs(x - y) }, { x, y in x > y ? 1 : (x < y ? -1 : 0) })
}

/// Huber-like smooth L1: quadratic below `beta`, linear above.
public func smoothL1Loss(_ input: Tensor, _ target: Tensor, beta: Float = 1, reduction: LossReduction = .mean) -> Tensor {
    elementwiseLoss("smooth_l1_loss", input, target, reduction: reduction, kernel: .smoothL1, a: beta, { x, y in
        let d = Swift.abs(x - y)
        return beta > 0 && d < beta ? 0.5 * d * d / beta : d - 0.5 * beta
    }, { x, y in
        let d = x - y
        if beta > 0 && Swift.abs(d) < beta { return d / beta }
        return d > 0 ? 1 : (d < 0 ? -1 : 0)
    })
}

/// Binary cross entropy on probabilities in `[0, 1]`; logs are clamped at −100 as in PyTorch.
public func binaryCrossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                               reduction: LossReduction = .mean) -> Tensor {
    requireSameShape("binary_cross_entropy", input, target)
    input.withUnsafeBufferPointer { p in
        for (i, v) in p.enumerated() where !(v >= 0 && v <= 1) {
            tensorFailure("binary_cross_entropy", "input values must be in [0, 1], element \(i) is \(v)")
        }
    }
    let loss = elementwiseLoss("binary_cross_entropy", input, target, reduction: .none, kernel: .binaryCrossEntropy, dfdy: { x, _ in
        Swift.max(log1pf(-x), -100) - Swift.max(logf(x), -100)
    }, { x, y in
        -(y * Swift.max(logf(x), -100) + (1 - y) * Swift.max(log1pf(-x), -100))
    }, { x, y in
        // PyTorch clamps the denominator at 1e-12.
        (x - y) / Swift.max((1 - x) * x, 1e-12)
    })
    return (weight.map { loss * $0 } ?? loss).reduced(reduction)
}

/// Binary cross entropy on logits, computed stably (`max(x,0) − x·y + log(1 + e^−|x|)`).
public func binaryCrossEntropyWithLogits(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                                         reduction: LossReduction = .mean) -> Tensor {
    let loss = elementwiseLoss("binary_cross_entropy_with_logits", input, target, reduction: .none,
                               kernel: .binaryCrossEntropyWithLogits, dfdy: { x, _ in -x }, { x, y in
        Swift.max(x, 0) - x * y + log1pf(expf(-Swift.abs(x)))
    }, { x, y in Tensor.sigmoidScalar(x) - y })
    return (weight.map { loss * $0 } ?? loss).reduced(reduction)
}
