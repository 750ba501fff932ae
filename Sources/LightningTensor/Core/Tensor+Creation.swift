extension Tensor {
    /// A float32 tensor of `shape` holding `scalars` in row-major order, on `device`.
    public init(shape: [Int], scalars: [Float], device: Device = .cpu) {
        let n = shape.reduce(1, *)
        if n != scalars.count {
            tensorFailure("Tensor(shape:scalars:)", "shape \(shapeText(shape)) needs \(n) elements, got \(scalars.count)")
        }
        self.init(uninitializedShape: shape)
        let p = floats
        scalars.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: n) }
        if !device.isCPU { self = to(device) }
    }

    /// An int64 tensor of `shape` holding `scalars` in row-major order, on `device`.
    public init(shape: [Int], int64Scalars scalars: [Int64], device: Device = .cpu) {
        let n = shape.reduce(1, *)
        if n != scalars.count {
            tensorFailure("Tensor(shape:int64Scalars:)", "shape \(shapeText(shape)) needs \(n) elements, got \(scalars.count)")
        }
        self.init(uninitializedShape: shape, dtype: .int64)
        let p = int64s
        scalars.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: n) }
        if !device.isCPU { self = to(device) }
    }

    /// A 1-D float32 tensor.
    public init(_ scalars: [Float]) { self.init(shape: [scalars.count], scalars: scalars) }

    /// A 2-D float32 tensor from rows of equal length.
    public init(_ rows: [[Float]]) {
        let cols = rows.first?.count ?? 0
        for (i, row) in rows.enumerated() where row.count != cols {
            tensorFailure("Tensor([[Float]])", "row \(i) has \(row.count) elements, row 0 has \(cols)")
        }
        self.init(shape: [rows.count, cols], scalars: rows.flatMap { $0 })
    }

    /// A 1-D int64 tensor (labels, indices).
    public init(int64 scalars: [Int64]) { self.init(shape: [scalars.count], int64Scalars: scalars) }

    /// A 1-D int64 tensor from `Int`s.
    public init(labels: [Int]) { self.init(shape: [labels.count], int64Scalars: labels.map { Int64($0) }) }

    /// A zero-dimensional float32 tensor.
    public init(_ scalar: Float) { self.init(shape: [], scalars: [scalar]) }

    /// A tensor filled with `value`, on `device`.
    public static func full(_ shape: [Int], _ value: Float, dtype: DType = .float32, device: Device = .cpu) -> Tensor {
        let t = Tensor(uninitializedShape: shape, dtype: dtype)
        switch dtype {
        case .float32: t.floats.update(repeating: value, count: t.count)
        case .int64: t.int64s.update(repeating: Int64(value), count: t.count)
        }
        return device.isCPU ? t : t.to(device)
    }

    /// A tensor of zeros, on `device`.
    public static func zeros(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) -> Tensor {
        let t = Tensor(uninitializedShape: shape, dtype: dtype, device: device)
        DeviceTransfer.zero(t)
        return t
    }

    /// A tensor of ones, on `device`.
    public static func ones(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) -> Tensor { full(shape, 1, dtype: dtype, device: device) }

    /// Zeros shaped like `other`, on its device.
    public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape, dtype: other.dtype, device: other.device) }
    /// Ones shaped like `other`, on its device.
    public static func ones(like other: Tensor) -> Tensor { ones(other.shape, dtype: other.dtype, device: other.device) }

    /// `start, start+step, ...` below `end` (float32).
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) -> Tensor {
        if step == 0 || (end - start) / step < 0 && end != start {
            tensorFailure("arange", "step \(step) cannot reach \(end) from \(start)")
        }
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        let t = Tensor(uninitializedShape: [n])
        for i in 0..<n { t.floats[i] = start + Float(i) * step }
        return t
    }

    /// `0, 1, ..., n-1` as int64.
    public static func arange(_ n: Int) -> Tensor {
        let t = Tensor(uninitializedShape: [n], dtype: .int64)
        for i in 0..<n { t.int64s[i] = Int64(i) }
        return t
    }

    /// The `n×m` identity (ones on the diagonal).
    public static func eye(_ n: Int, _ m: Int? = nil) -> Tensor {
        let cols = m ?? n
        let t = zeros([n, cols])
        for i in 0..<Swift.min(n, cols) { t.floats[i * cols + i] = 1 }
        return t
    }

    /// Uniform samples in `[low, high)`, on `device` (the same values on every device: the
    /// generator's stream decides them).
    public static func rand(_ shape: [Int], low: Float = 0, high: Float = 1, generator: Generator = .default, device: Device = .cpu) -> Tensor {
        if !device.isCPU { return rand(shape, low: low, high: high, generator: generator).to(device) }
        let t = Tensor(uninitializedShape: shape)
        let p = t.floats
        let scale = high - low
        generator.withStream { stream in
            for i in 0..<t.count { p[i] = low + scale * stream.nextUniform() }
        }
        return t
    }

    /// Normal samples with the given mean and standard deviation, on `device` (the generator's
    /// values on every device).
    public static func randn(_ shape: [Int], mean: Float = 0, std: Float = 1, generator: Generator = .default, device: Device = .cpu) -> Tensor {
        if !device.isCPU { return randn(shape, mean: mean, std: std, generator: generator).to(device) }
        let t = Tensor(uninitializedShape: shape)
        let p = t.floats
        let n = t.count
        generator.withStream { stream in
            var i = 0
            while i < n {
                let (a, b) = stream.nextNormalPair()
                p[i] = mean + std * a
                if i + 1 < n { p[i + 1] = mean + std * b }
                i += 2
            }
        }
        return t
    }

    /// Uniform int64 samples in `low..<high`, on `device`.
    public static func randint(_ low: Int64, _ high: Int64, _ shape: [Int], generator: Generator = .default, device: Device = .cpu) -> Tensor {
        if !device.isCPU { return randint(low, high, shape, generator: generator).to(device) }
        if low >= high { tensorFailure("randint", "empty range \(low)..<\(high)") }
        let t = Tensor(uninitializedShape: shape, dtype: .int64)
        let p = t.int64s
        generator.withStream { stream in
            for i in 0..<t.count { p[i] = stream.nextInt(in: low..<high) }
        }
        return t
    }

    /// A random permutation of `0..<n` as int64.
    public static func randperm(_ n: Int, generator: Generator = .default) -> Tensor {
        Tensor(shape: [n], int64Scalars: generator.permutation(n).map { Int64($0) })
    }
}

extension Tensor {
    /// The elements as floats, row-major (int64 tensors are converted); a GPU tensor's are
    /// copied to the host first.
    public var scalars: [Float] {
        if !device.isCPU { return hostCopy().scalars }
        switch dtype {
        case .float32: return Array(UnsafeBufferPointer(start: floats, count: count))
        case .int64: return UnsafeBufferPointer(start: int64s, count: count).map { Float($0) }
        }
    }

    /// The elements as int64, row-major (floats are truncated toward zero).
    public var int64Scalars: [Int64] {
        if !device.isCPU { return hostCopy().int64Scalars }
        switch dtype {
        case .int64: return Array(UnsafeBufferPointer(start: int64s, count: count))
        case .float32: return UnsafeBufferPointer(start: floats, count: count).map { Int64($0) }
        }
    }

    /// The single element as a Float; the tensor must have exactly one element.
    public func item() -> Float {
        if count != 1 { tensorFailure("item", "a tensor with \(count) elements (shape \(shapeText(shape))) cannot be converted to a scalar") }
        if !device.isCPU { return hostCopy().item() }
        return dtype == .float32 ? floats[0] : Float(int64s[0])
    }

    /// The single element as an Int64; the tensor must have exactly one element.
    public func int64Item() -> Int64 {
        if count != 1 { tensorFailure("int64Item", "a tensor with \(count) elements (shape \(shapeText(shape))) cannot be converted to a scalar") }
        if !device.isCPU { return hostCopy().int64Item() }
        return dtype == .int64 ? int64s[0] : Int64(floats[0])
    }

    /// This tensor converted to `dtype` (a copy; no gradient flows through int64).
    public func converted(to target: DType) -> Tensor {
        if target == dtype { return self }
        let out = Tensor(uninitializedShape: shape, dtype: target)
        let n = count
        switch target {
        case .float32:
            let s = int64s, d = out.floats
            for i in 0..<n { d[i] = Float(s[i]) }
        case .int64:
            let s = floats, d = out.int64s
            for i in 0..<n {
                let v = s[i]
                if !v.isFinite { tensorFailure("converted(to: .int64)", "element \(i) is \(v), which has no integer value") }
                d[i] = Int64(v)
            }
        }
        return out
    }

    /// The elements copied into host memory, without autograd history (reading a GPU tensor's values).
    func hostCopy() -> Tensor {
        let out = Tensor(uninitializedShape: shape, dtype: dtype)
        Kernels.copy(from: self, to: out)
        return out
    }

    /// A copy with its own storage on the same device (no autograd history).
    public func copied() -> Tensor {
        let out = Tensor(uninitializedShape: shape, dtype: dtype, device: device)
        Kernels.copy(from: self, to: out)
        return out
    }
}
