import LightningCUDA

/// Zeroes each element with probability `p` and scales the rest by `1/(1−p)` (inverted dropout);
/// identity when `training` is false or `p` is 0. Draws from `generator` (the default one unless
/// given), so a seeded run drops the same elements.
public func dropout(_ x: Tensor, p: Float, training: Bool = true, generator: Generator = .default) -> Tensor {
    x.requireDType(.float32, op: "dropout")
    if p < 0 || p > 1 { tensorFailure("dropout", "probability must be in [0, 1], got \(p)") }
    if !training || p == 0 { return x }
    if case .cuda = x.device { return cudaDropout(x, p: p, generator: generator) }
    let mask = Tensor(uninitializedShape: x.shape)
    let m = mask.floats, scale: Float = p == 1 ? 0 : 1 / (1 - p)
    generator.withStream { stream in
        for i in 0..<x.count { m[i] = stream.nextUniform() < p ? 0 : scale }
    }
    let out = Kernels.zip(x, mask) { $0 * $1 }
    return Tensor.recorded("dropout", out, inputs: [x]) { g in [Kernels.zip(g, mask) { $0 * $1 }] }
}

/// ``dropout(_:p:training:generator:)`` on a GPU: element i draws word `position + i` of the
/// generator's Philox stream, as the CPU loop does, so the same seed drops the same elements;
/// the generator then advances past them.
private func cudaDropout(_ x: Tensor, p: Float, generator: Generator) -> Tensor {
    let scale: Float = p == 1 ? 0 : 1 / (1 - p)
    let (seed, start) = generator.withStream { stream in
        defer { stream.position &+= UInt64(x.count) }
        return (stream.seed, stream.position)
    }
    let out = CUDAKernels.empty(x.shape, like: x), mask = CUDAKernels.empty(x.shape, like: x)
    CUDAKernels.launch("dropout_forward", .random, on: CUDAKernels.ordinal(x), elements: x.count,
                       [CUDAKernels.pointer(x), CUDAKernels.pointer(out), CUDAKernels.pointer(mask), .int64(Int64(x.count)),
                        .uint64(seed), .uint64(start), .float(p), .float(scale)], op: "dropout")
    return Tensor.recorded("dropout", out, inputs: [x]) { g in [CUDAKernels.binary(.mul, g, mask, name: "dropout")] }
}
