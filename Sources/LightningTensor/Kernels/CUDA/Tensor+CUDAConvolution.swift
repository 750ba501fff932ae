import LightningCUDA

/// Convolution and pooling on a GPU: one im2col over the whole batch and one cuBLAS product per
/// pass (the GPU's wide products favour one large matrix, unlike the CPU's per-image blocks),
/// gradients by col2im and gathers (no atomics: the same bits every run).
extension Tensor {
    /// The kernels' window for `geo` over `planes` images of `channels` channels.
    static func cudaWindow(_ geo: ConvGeometry, batch: Int, channels: Int) -> KernelArgument {
        KernelGeometry.window(batch: batch, channels: channels, height: geo.height, width: geo.width, outH: geo.outH, outW: geo.outW,
                              kernel: (geo.kernelH, geo.kernelW), stride: (geo.strideH, geo.strideW), padding: (geo.padH, geo.padW),
                              dilation: (geo.dilationH, geo.dilationW))
    }

    /// `conv2d` with one group (checked by the caller, which stops for more).
    static func cudaConv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, geo: ConvGeometry) -> Tensor {
        let n = x.shape[0], o = weight.shape[0], rowsK = geo.columnRows, positions = geo.columnCount
        let device = CUDAKernels.ordinal(x)
        let window = cudaWindow(geo, batch: n, channels: geo.channels)
        let columns = CUDAKernels.empty([rowsK, n * positions], like: x)
        CUDAKernels.launch("im2col", .convolution, on: device, elements: columns.count, [CUDAKernels.pointer(x), CUDAKernels.pointer(columns), window], op: "conv2d")
        let products = CUDAKernels.empty([o, n * positions], like: x)
        CUDAKernels.gemm(false, false, m: o, n: n * positions, k: rowsK, a: weight, b: columns, c: products)
        let out = CUDAKernels.empty([n, o, geo.outH, geo.outW], like: x)
        CUDAKernels.launch("rows_to_nchw", .convolution, on: device, elements: out.count,
                           [CUDAKernels.pointer(products), bias.map(CUDAKernels.pointer) ?? CUDAKernels.none, CUDAKernels.pointer(out),
                            .int64(Int64(n)), .int64(Int64(o)), .int64(Int64(positions))], op: "conv2d")
        let ws = weight.detached(), xShape = x.shape
        let rx = x.requiresGrad, rw = weight.requiresGrad, rb = bias?.requiresGrad ?? false
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return recorded("conv2d", out, inputs: inputs) { g, destinations in
            let gradRows = CUDAKernels.empty([o, n * positions], like: g)
            CUDAKernels.launch("nchw_to_rows", .convolution, on: device, elements: g.count,
                               [CUDAKernels.pointer(g), CUDAKernels.pointer(gradRows), .int64(Int64(n)), .int64(Int64(o)), .int64(Int64(positions))],
                               op: "conv2d")
            var gx: Tensor? = nil, gw: Tensor? = nil, gb: Tensor? = nil
            if rw {
                let dst = destinations.destination(1) ?? CUDAKernels.empty(ws.shape, like: g)
                CUDAKernels.gemm(false, true, m: o, n: rowsK, k: n * positions, a: gradRows, b: columns, c: dst)
                gw = dst
            }
            if rb {
                let sums = CUDAKernels.reduce(.sum, gradRows, dims: [1], name: "conv2d")
                if let dst = destinations.destination(2) { Kernels.copy(from: sums, to: dst); gb = dst } else { gb = sums }
            }
            if rx {
                let gradColumns = CUDAKernels.empty([rowsK, n * positions], like: g)
                CUDAKernels.gemm(true, false, m: rowsK, n: n * positions, k: o, a: ws, b: gradRows, c: gradColumns)
                let dx = CUDAKernels.empty(xShape, like: g)
                CUDAKernels.launch("col2im", .convolution, on: device, elements: dx.count,
                                   [CUDAKernels.pointer(gradColumns), CUDAKernels.pointer(dx), window], op: "conv2d")
                gx = dx
            }
            return bias == nil ? [gx, gw] : [gx, gw, gb]
        }
    }

    /// `max_pool2d` over every plane, remembering each window's winner for backward.
    static func cudaMaxPool2d(_ x: Tensor, geo: ConvGeometry) -> Tensor {
        let planes = x.shape[0] * x.shape[1], device = CUDAKernels.ordinal(x)
        let window = cudaWindow(geo, batch: planes, channels: 1)
        let out = CUDAKernels.empty([x.shape[0], x.shape[1], geo.outH, geo.outW], like: x)
        let indices = CUDAKernels.empty(out.shape, like: x, dtype: .int64)
        CUDAKernels.launch("max_pool_forward", .convolution, on: device, elements: out.count,
                           [CUDAKernels.pointer(x), CUDAKernels.pointer(out), CUDAKernels.pointer(indices), window], op: "max_pool2d")
        let shape = x.shape
        return recorded("max_pool2d", out, inputs: [x]) { g in
            let dx = CUDAKernels.empty(shape, like: g)
            CUDAKernels.launch("max_pool_backward", .convolution, on: device, elements: dx.count,
                               [CUDAKernels.pointer(g), CUDAKernels.pointer(indices), CUDAKernels.pointer(dx), window], op: "max_pool2d")
            return [dx]
        }
    }

    /// `avg_pool2d` over every plane (padding counts in the divisor, as the CPU's).
    static func cudaAvgPool2d(_ x: Tensor, geo: ConvGeometry) -> Tensor {
        let planes = x.shape[0] * x.shape[1], device = CUDAKernels.ordinal(x)
        let window = cudaWindow(geo, batch: planes, channels: 1)
        let scale = 1 / Float(geo.kernelH * geo.kernelW)
        let out = CUDAKernels.empty([x.shape[0], x.shape[1], geo.outH, geo.outW], like: x)
        CUDAKernels.launch("avg_pool_forward", .convolution, on: device, elements: out.count,
                           [CUDAKernels.pointer(x), CUDAKernels.pointer(out), window, .float(scale)], op: "avg_pool2d")
        let shape = x.shape
        return recorded("avg_pool2d", out, inputs: [x]) { g in
            let dx = CUDAKernels.empty(shape, like: g)
            CUDAKernels.launch("avg_pool_backward", .convolution, on: device, elements: dx.count,
                               [CUDAKernels.pointer(g), CUDAKernels.pointer(dx), window, .float(scale)], op: "avg_pool2d")
            return [dx]
        }
    }
}
