/// Zeroes each element with probability `p` and scales the rest by `1/(1−p)` (inverted dropout);
/// identity when `training` is false or `p` is 0. Draws from `generator` (the default one unless
/// given), so a seeded run drops the same elements.
public func dropout(_ x: Tensor, p: Float, training: Bool = true, generator: Generator = .default) -> Tensor {
    x.requireDType(.float32, op: "dropout")
    if p < 0 || p > 1 { tensorFailure("dropout", "probability must be in [0, 1], got \(p)") }
    if !training || p == 0 { return x }
    let mask = Tensor(uninitializedShape: x.shape)
    let m = mask.floats, scale: Float = p == 1 ? 0 : 1 / (1 - p)
    generator.withStream { stream in
        for i in 0..<x.count { m[i] = stream.nextUniform() < p ? 0 : scale }
    }
    let out = Kernels.zip(x, mask) { $0 * $1 }
    return Tensor.recorded("dropout", out, inputs: [x]) { g in [Kernels.zip(g, mask) { $0 * $1 }] }
}
