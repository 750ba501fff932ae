import LightningCUDA

/// Elementwise kernels on the GPU.
extension CUDAKernels {
    /// `op(x)` elementwise with parameters `a`, `b`.
    static func unary(_ op: UnaryKernelOp, _ x: Tensor, a: Float = 0, b: Float = 0, name: String) -> Tensor {
        let out = empty(x.shape, like: x)
        launch("unary_forward", .elementwise, on: ordinal(x), elements: x.count,
               [.int32(op.rawValue), pointer(x), pointer(out), .int64(Int64(x.count)), .float(a), .float(b)], op: name)
        return out
    }

    /// `g · op'(x)` from the saved input and output.
    static func unaryBackward(_ op: UnaryKernelOp, _ g: Tensor, x: Tensor, y: Tensor, a: Float = 0, b: Float = 0, name: String) -> Tensor {
        let out = empty(x.shape, like: x)
        launch("unary_backward", .elementwise, on: ordinal(x), elements: x.count,
               [.int32(op.rawValue), pointer(g), pointer(x), pointer(y), pointer(out), .int64(Int64(x.count)), .float(a), .float(b)], op: name)
        return out
    }

    /// `op(x, y)` elementwise with broadcasting (NumPy's rules, as the CPU's).
    static func binary(_ op: BinaryKernelOp, _ x: Tensor, _ y: Tensor, name: String) -> Tensor {
        let shape = Kernels.broadcastShape(x.shape, y.shape, op: name)
        let out = empty(shape, like: x)
        let n = out.count
        if x.shape == y.shape {
            launch("binary_same", .elementwise, on: ordinal(x), elements: n,
                   [.int32(op.rawValue), pointer(x), pointer(y), pointer(out), .int64(Int64(n))], op: name)
            return out
        }
        if shape.count > CUDAKernelSource.maxDimensions {
            tensorFailure(name, "broadcasting on a GPU takes at most \(CUDAKernelSource.maxDimensions) dimensions, got \(shapeText(shape))")
        }
        let geometry = KernelGeometry.broadcast(size: shape, strideA: Kernels.broadcastStrides(x.shape, to: shape),
                                                strideB: Kernels.broadcastStrides(y.shape, to: shape))
        launch("binary_broadcast", .elementwise, on: ordinal(x), elements: n,
               [.int32(op.rawValue), pointer(x), pointer(y), pointer(out), .int64(Int64(n)), geometry], op: name)
        return out
    }

    /// Every element of `tensor` set to `value`.
    static func fill(_ tensor: Tensor, _ value: Float) {
        switch tensor.dtype {
        case .float32:
            launch("fill_f32", .elementwise, on: ordinal(tensor), elements: tensor.count,
                   [pointer(tensor), .int64(Int64(tensor.count)), .float(value)], op: "fill")
        case .int64:
            launch("fill_i64", .elementwise, on: ordinal(tensor), elements: tensor.count,
                   [pointer(tensor), .int64(Int64(tensor.count)), .int64(Int64(value))], op: "fill")
        }
    }

    /// `y += alpha · x` in place (same element count).
    static func axpy(_ y: Tensor, _ x: Tensor, alpha: Float = 1) {
        launch("axpy_f32", .elementwise, on: ordinal(y), elements: y.count,
               [pointer(y), pointer(x), .int64(Int64(y.count)), .float(alpha)], op: "add_")
    }

    /// `x` converted to `dtype` (int64 ↔ float32; toward zero).
    static func cast(_ x: Tensor, to dtype: DType) -> Tensor {
        let out = empty(x.shape, like: x, dtype: dtype)
        let kernel = dtype == .float32 ? "cast_i64_f32" : "cast_f32_i64"
        launch(kernel, .elementwise, on: ordinal(x), elements: x.count, [pointer(x), pointer(out), .int64(Int64(x.count))], op: "to(\(dtype))")
        return out
    }
}

extension CUDAKernels {
    /// `x` broadcast to `shape` (a contiguous copy), as ``Tensor/expandedCopy(to:)``.
    static func expand(_ x: Tensor, to shape: [Int]) -> Tensor {
        if x.shape == shape { return x }
        if shape.count > CUDAKernelSource.maxDimensions {
            tensorFailure("expand", "broadcasting on a GPU takes at most \(CUDAKernelSource.maxDimensions) dimensions, got \(shapeText(shape))")
        }
        let out = empty(shape, like: x)
        let strides = Kernels.broadcastStrides(x.shape, to: shape)
        // Both operands are x; the op keeps the second.
        launch("binary_broadcast", .elementwise, on: ordinal(x), elements: out.count,
               [.int32(BinaryKernelOp.second.rawValue), pointer(x), pointer(x), pointer(out), .int64(Int64(out.count)),
                KernelGeometry.broadcast(size: shape, strideA: strides, strideB: strides)], op: "expand")
        return out
    }
}

extension CUDAKernels {
    /// The elementwise loss `op(x, y)` (same shapes).
    static func pair(_ op: PairwiseKernelOp, _ x: Tensor, _ y: Tensor, a: Float, name: String) -> Tensor {
        let out = empty(x.shape, like: x)
        launch("pair_forward", .elementwise, on: ordinal(x), elements: x.count,
               [.int32(op.rawValue), pointer(x), pointer(y), pointer(out), .int64(Int64(x.count)), .float(a)], op: name)
        return out
    }

    /// `g·∂op/∂x` and `g·∂op/∂y`, each only when asked for.
    static func pairBackward(_ op: PairwiseKernelOp, _ g: Tensor, x: Tensor, y: Tensor, a: Float, wantX: Bool, wantY: Bool,
                             name: String) -> (Tensor?, Tensor?) {
        let gx = wantX ? empty(x.shape, like: x) : nil, gy = wantY ? empty(y.shape, like: y) : nil
        launch("pair_backward", .elementwise, on: ordinal(x), elements: x.count,
               [.int32(op.rawValue), pointer(g), pointer(x), pointer(y), gx.map(pointer) ?? none, gy.map(pointer) ?? none,
                .int64(Int64(x.count)), .float(a)], op: name)
        return (gx, gy)
    }

    /// A contiguous copy of `x` with its dimensions reordered by `order` (a gather through the
    /// broadcast kernel: output dimension d reads input dimension order[d]'s stride).
    static func permute(_ x: Tensor, _ order: [Int]) -> Tensor {
        let strides = contiguousStrides(x.shape)
        let shape = order.map { x.shape[$0] }, gathered = order.map { strides[$0] }
        let out = empty(shape, like: x, dtype: x.dtype)
        launch("binary_broadcast", .elementwise, on: ordinal(x), elements: out.count,
               [.int32(BinaryKernelOp.second.rawValue), pointer(x), pointer(x), pointer(out), .int64(Int64(out.count)),
                KernelGeometry.broadcast(size: shape, strideA: gathered, strideB: gathered)], op: "permute")
        return out
    }

    /// `condition != 0 ? a : b` elementwise (same shapes).
    static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let out = empty(a.shape, like: a)
        launch("select_f32", .elementwise, on: ordinal(a), elements: a.count,
               [pointer(condition), pointer(a), pointer(b), pointer(out), .int64(Int64(a.count))], op: "where")
        return out
    }
}
