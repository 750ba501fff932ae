extension CUDAKernelSource {
    /// Convolution and pooling: im2col (a batch's columns side by side, as the CPU's
    /// `Kernels+Im2Col.swift` lays them, so one cuBLAS product covers the batch), col2im and the
    /// pooling backward passes written as gathers (each input element sums what reaches it in a
    /// fixed order: no atomics), and the permutes between `[O, N·P]` products and NCHW.
    public static let convolution = CUDAKernelSource(
        name: "convolution",
        code: prelude + #"""

        // A 2-D window's geometry; passed by value.
        struct Window {
            i64 batch, channels, height, width, outH, outW;
            int kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW;
        };

        // col[(c·kh + ky)·kw + kx][n·P + p] = x[n, c, oy·sh − ph + ky·dh, ox·sw − pw + kx·dw] (0 outside).
        extern "C" __global__ void im2col(const float* x, float* col, Window w) {
            i64 positions = w.outH * w.outW, columns = w.batch * positions;
            i64 rows = w.channels * w.kernelH * w.kernelW;
            GRID_LOOP(k, rows * columns) {
                i64 row = k / columns, column = k % columns;
                i64 n = column / positions, p = column % positions;
                i64 c = row / (w.kernelH * w.kernelW);
                int ky = (int)(row / w.kernelW % w.kernelH), kx = (int)(row % w.kernelW);
                i64 iy = p / w.outW * w.strideH - w.padH + ky * w.dilationH;
                i64 ix = p % w.outW * w.strideW - w.padW + kx * w.dilationW;
                bool inside = iy >= 0 && iy < w.height && ix >= 0 && ix < w.width;
                col[k] = inside ? x[((n * w.channels + c) * w.height + iy) * w.width + ix] : 0.0f;
            }
        }

        // The adjoint of im2col: dx[n, c, y, x] = Σ over the (ky, kx) whose window position lands on it.
        extern "C" __global__ void col2im(const float* col, float* dx, Window w) {
            i64 positions = w.outH * w.outW, columns = w.batch * positions;
            GRID_LOOP(k, w.batch * w.channels * w.height * w.width) {
                i64 ix = k % w.width, iy = k / w.width % w.height;
                i64 c = k / (w.width * w.height) % w.channels, n = k / (w.width * w.height * w.channels);
                float total = 0.0f;
                for (int ky = 0; ky < w.kernelH; ++ky) {
                    i64 ty = iy + w.padH - ky * w.dilationH;
                    if (ty < 0 || ty % w.strideH != 0 || ty / w.strideH >= w.outH) continue;
                    for (int kx = 0; kx < w.kernelW; ++kx) {
                        i64 tx = ix + w.padW - kx * w.dilationW;
                        if (tx < 0 || tx % w.strideW != 0 || tx / w.strideW >= w.outW) continue;
                        i64 row = (c * w.kernelH + ky) * w.kernelW + kx;
                        total += col[row * columns + n * positions + ty / w.strideH * w.outW + tx / w.strideW];
                    }
                }
                dx[k] = total;
            }
        }

        // [O, N·P] (a product's rows) → [N, O, P], adding bias[o] when given.
        extern "C" __global__ void rows_to_nchw(const float* rows, const float* bias, float* out, i64 batch, i64 outChannels, i64 positions) {
            GRID_LOOP(k, batch * outChannels * positions) {
                i64 p = k % positions, o = k / positions % outChannels, n = k / (positions * outChannels);
                out[k] = rows[o * batch * positions + n * positions + p] + (bias ? bias[o] : 0.0f);
            }
        }

        // [N, O, P] → [O, N·P]: the output gradient as the product's rows.
        extern "C" __global__ void nchw_to_rows(const float* x, float* rows, i64 batch, i64 outChannels, i64 positions) {
            GRID_LOOP(k, batch * outChannels * positions) {
                i64 p = k % positions, o = k / positions % outChannels, n = k / (positions * outChannels);
                rows[o * batch * positions + n * positions + p] = x[k];
            }
        }

        // Max pooling over planes (batch = N·C planes, channels = 1); index = the input position in
        // its plane of the first maximum (NaN wins), as PyTorch's return_indices.
        extern "C" __global__ void max_pool_forward(const float* x, float* y, i64* index, Window w) {
            GRID_LOOP(k, w.batch * w.outH * w.outW) {
                i64 plane = k / (w.outH * w.outW), p = k % (w.outH * w.outW);
                i64 y0 = p / w.outW * w.strideH - w.padH, x0 = p % w.outW * w.strideW - w.padW;
                const float* src = x + plane * w.height * w.width;
                float best = -__int_as_float(0x7f800000);
                i64 bestIndex = -1;
                for (int ky = 0; ky < w.kernelH; ++ky) {
                    i64 iy = y0 + ky * w.dilationH;
                    if (iy < 0 || iy >= w.height) continue;
                    for (int kx = 0; kx < w.kernelW; ++kx) {
                        i64 ix = x0 + kx * w.dilationW;
                        if (ix < 0 || ix >= w.width) continue;
                        float v = src[iy * w.width + ix];
                        if (bestIndex < 0 || v > best || (v != v && best == best)) { best = v; bestIndex = iy * w.width + ix; }
                    }
                }
                y[k] = best;
                index[k] = bestIndex;
            }
        }

        // dx[plane, q] = Σ g over the windows whose maximum was q (a gather over the windows that
        // can contain q).
        extern "C" __global__ void max_pool_backward(const float* g, const i64* index, float* dx, Window w) {
            GRID_LOOP(k, w.batch * w.height * w.width) {
                i64 plane = k / (w.height * w.width), q = k % (w.height * w.width);
                i64 iy = q / w.width, ix = q % w.width;
                float total = 0.0f;
                for (int ky = 0; ky < w.kernelH; ++ky) {
                    i64 ty = iy + w.padH - ky * w.dilationH;
                    if (ty < 0 || ty % w.strideH != 0 || ty / w.strideH >= w.outH) continue;
                    for (int kx = 0; kx < w.kernelW; ++kx) {
                        i64 tx = ix + w.padW - kx * w.dilationW;
                        if (tx < 0 || tx % w.strideW != 0 || tx / w.strideW >= w.outW) continue;
                        i64 o = plane * w.outH * w.outW + ty / w.strideH * w.outW + tx / w.strideW;
                        if (index[o] == q) total += g[o];
                    }
                }
                dx[k] = total;
            }
        }

        // Average pooling over planes: the window's elements inside the image times `scale`
        // (1 / (kh·kw): padding counts in the divisor, as the CPU's and PyTorch's default).
        extern "C" __global__ void avg_pool_forward(const float* x, float* y, Window w, float scale) {
            GRID_LOOP(k, w.batch * w.outH * w.outW) {
                i64 plane = k / (w.outH * w.outW), p = k % (w.outH * w.outW);
                i64 y0 = p / w.outW * w.strideH - w.padH, x0 = p % w.outW * w.strideW - w.padW;
                const float* src = x + plane * w.height * w.width;
                float total = 0.0f;
                for (int ky = 0; ky < w.kernelH; ++ky) {
                    i64 iy = y0 + ky;
                    if (iy < 0 || iy >= w.height) continue;
                    for (int kx = 0; kx < w.kernelW; ++kx) {
                        i64 ix = x0 + kx;
                        if (ix >= 0 && ix < w.width) total += src[iy * w.width + ix];
                    }
                }
                y[k] = total * scale;
            }
        }

        // dx[plane, q] = Σ g·scale over the windows that contain q.
        extern "C" __global__ void avg_pool_backward(const float* g, float* dx, Window w, float scale) {
            GRID_LOOP(k, w.batch * w.height * w.width) {
                i64 plane = k / (w.height * w.width), q = k % (w.height * w.width);
                i64 iy = q / w.width, ix = q % w.width;
                float total = 0.0f;
                for (int ky = 0; ky < w.kernelH; ++ky) {
                    i64 ty = iy + w.padH - ky;
                    if (ty < 0 || ty % w.strideH != 0 || ty / w.strideH >= w.outH) continue;
                    for (int kx = 0; kx < w.kernelW; ++kx) {
                        i64 tx = ix + w.padW - kx;
                        if (tx < 0 || tx % w.strideW != 0 || tx / w.strideW >= w.outW) continue;
                        total += g[plane * w.outH * w.outW + ty / w.strideH * w.outW + tx / w.strideW] * scale;
                    }
                }
                dx[k] = total;
            }
        }
        """#,
        kernels: ["im2col", "col2im", "rows_to_nchw", "nchw_to_rows", "max_pool_forward", "max_pool_backward", "avg_pool_forward", "avg_pool_backward"])
}
