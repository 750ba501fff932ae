extension CUDAKernelSource {
    /// The most dimensions a broadcast or strided kernel takes (the geometry structs' size).
    public static let maxDimensions = 8

    /// Elementwise kernels: every ``UnaryKernelOp`` forward and backward, every ``BinaryKernelOp``
    /// on equal shapes and with broadcasting, fills, casts and the gradient accumulation `y += αx`.
    public static let elementwise = CUDAKernelSource(
        name: "elementwise",
        code: prelude + "\n#define RELU \(UnaryKernelOp.relu.rawValue)\n" + #"""

        __device__ __forceinline__ float sigmoidf(float x) {
            if (x >= 0.0f) return 1.0f / (1.0f + expf(-x));
            float e = expf(x);
            return e / (1.0f + e);
        }

        __device__ __forceinline__ float unary_value(int op, float x, float a, float b) {
            switch (op) {
        """# + UnaryKernelOp.allCases.map { "    case \($0.rawValue): return \($0.forward);" }.joined(separator: "\n") + #"""

            default: return __int_as_float(0x7fc00000);
            }
        }

        __device__ __forceinline__ float unary_derivative(int op, float x, float y, float a, float b) {
            switch (op) {
        """# + UnaryKernelOp.allCases.map { "    case \($0.rawValue): return \($0.derivative);" }.joined(separator: "\n") + #"""

            default: return __int_as_float(0x7fc00000);
            }
        }

        __device__ __forceinline__ float binary_value(int op, float x, float y) {
            switch (op) {
        """# + BinaryKernelOp.allCases.map { "    case \($0.rawValue): return \($0.expression);" }.joined(separator: "\n") + #"""

            default: return __int_as_float(0x7fc00000);
            }
        }

        __device__ __forceinline__ float pair_value(int op, float x, float y, float a) {
            switch (op) {
        """# + PairwiseKernelOp.allCases.map { "    case \($0.rawValue): return \($0.forward);" }.joined(separator: "\n") + #"""

            default: return __int_as_float(0x7fc00000);
            }
        }

        __device__ __forceinline__ float pair_derivative(int op, int byTarget, float x, float y, float a) {
            if (byTarget) {
                switch (op) {
        """# + PairwiseKernelOp.allCases.map { "        case \($0.rawValue): return \($0.derivativeY);" }.joined(separator: "\n") + #"""

                default: return __int_as_float(0x7fc00000);
                }
            }
            switch (op) {
        """# + PairwiseKernelOp.allCases.map { "    case \($0.rawValue): return \($0.derivativeX);" }.joined(separator: "\n") + #"""

            default: return __int_as_float(0x7fc00000);
            }
        }

        // An output of `rank` dimensions `size`, read from inputs through element strides (0 on a
        // broadcast dimension); passed by value.
        struct Broadcast {
            i64 size[8];
            i64 strideA[8];
            i64 strideB[8];
            int rank;
        };

        extern "C" __global__ void unary_forward(int op, const float* x, float* y, i64 n, float a, float b) {
            GRID_LOOP(i, n) { y[i] = unary_value(op, x[i], a, b); }
        }

        // dx = g · f'(x), from the saved input and output.
        extern "C" __global__ void unary_backward(int op, const float* g, const float* x, const float* y, float* dx, i64 n, float a, float b) {
            // relu passes or drops the gradient (a mask, as the CPU's: no 0·inf).
            GRID_LOOP(i, n) { dx[i] = op == RELU ? (y[i] > 0.0f ? g[i] : 0.0f) : g[i] * unary_derivative(op, x[i], y[i], a, b); }
        }

        extern "C" __global__ void binary_same(int op, const float* x, const float* y, float* z, i64 n) {
            GRID_LOOP(i, n) { z[i] = binary_value(op, x[i], y[i]); }
        }

        extern "C" __global__ void binary_broadcast(int op, const float* x, const float* y, float* z, i64 n, Broadcast shape) {
            GRID_LOOP(i, n) {
                i64 rest = i, offsetA = 0, offsetB = 0;
                for (int d = shape.rank - 1; d >= 0; --d) {
                    i64 index = rest % shape.size[d];
                    rest /= shape.size[d];
                    offsetA += index * shape.strideA[d];
                    offsetB += index * shape.strideB[d];
                }
                z[i] = binary_value(op, x[offsetA], y[offsetB]);
            }
        }

        extern "C" __global__ void fill_f32(float* y, i64 n, float value) {
            GRID_LOOP(i, n) { y[i] = value; }
        }

        extern "C" __global__ void fill_i64(i64* y, i64 n, i64 value) {
            GRID_LOOP(i, n) { y[i] = value; }
        }

        extern "C" __global__ void cast_i64_f32(const i64* x, float* y, i64 n) {
            GRID_LOOP(i, n) { y[i] = (float)x[i]; }
        }

        // Toward zero, as the CPU's conversion (the caller checks the values are finite).
        extern "C" __global__ void cast_f32_i64(const float* x, i64* y, i64 n) {
            GRID_LOOP(i, n) { y[i] = (i64)x[i]; }
        }

        // y += alpha · x: gradient accumulation and the optimizers' plain updates.
        extern "C" __global__ void axpy_f32(float* y, const float* x, i64 n, float alpha) {
            GRID_LOOP(i, n) { y[i] += alpha * x[i]; }
        }

        // out = condition != 0 ? a : b.
        extern "C" __global__ void select_f32(const float* condition, const float* a, const float* b, float* out, i64 n) {
            GRID_LOOP(i, n) { out[i] = condition[i] != 0.0f ? a[i] : b[i]; }
        }

        // An elementwise loss of input x and target y (same shape).
        extern "C" __global__ void pair_forward(int op, const float* x, const float* y, float* out, i64 n, float a) {
            GRID_LOOP(i, n) { out[i] = pair_value(op, x[i], y[i], a); }
        }

        // Its gradients g·∂f/∂x into gx and g·∂f/∂y into gy (either may be null: not needed).
        extern "C" __global__ void pair_backward(int op, const float* g, const float* x, const float* y, float* gx, float* gy, i64 n, float a) {
            GRID_LOOP(i, n) {
                if (gx) gx[i] = g[i] * pair_derivative(op, 0, x[i], y[i], a);
                if (gy) gy[i] = g[i] * pair_derivative(op, 1, x[i], y[i], a);
            }
        }

        // Rows of `width` elements picked by index: index_select on dimension 0, embedding.
        extern "C" __global__ void gather_rows(const float* source, const i64* index, float* out, i64 rows, i64 width) {
            GRID_LOOP(i, rows * width) { out[i] = source[index[i / width] * width + i % width]; }
        }
        """#,
        kernels: ["unary_forward", "unary_backward", "binary_same", "binary_broadcast", "pair_forward", "pair_backward", "fill_f32", "fill_i64",
                  "cast_i64_f32", "cast_f32_i64", "axpy_f32", "select_f32", "gather_rows"])
}
