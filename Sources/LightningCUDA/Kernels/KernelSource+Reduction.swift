extension CUDAKernelSource {
    /// Reductions (sum, max, min, sum of squares, argmax/argmin), each output computed by one
    /// block or thread in a fixed order: the same input gives the same bits on every run.
    public static let reduction = CUDAKernelSource(
        name: "reduction",
        code: prelude + #"""

        // A reduction's geometry: the output's dimensions (kept) and the reduced ones, each as sizes
        // and element strides into the input; passed by value.
        struct Reduction {
            i64 keptSize[8];
            i64 keptStride[8];
            i64 reducedSize[8];
            i64 reducedStride[8];
            int keptRank;
            int reducedRank;
        };

        // One thread per output element, summing its reduced elements in index order: sums over
        // any set of dimensions (sum(dims:), mean, undoing a broadcast in backward).
        extern "C" __global__ void reduce_strided(int op, const float* x, float* out, i64 outCount, i64 reduceCount,
                                                  Reduction shape, float scale) {
            GRID_LOOP(o, outCount) {
                i64 rest = o, base = 0;
                for (int d = shape.keptRank - 1; d >= 0; --d) {
                    base += (rest % shape.keptSize[d]) * shape.keptStride[d];
                    rest /= shape.keptSize[d];
                }
                float acc = reduce_identity(op);
                for (i64 r = 0; r < reduceCount; ++r) {
                    i64 restR = r, offset = base;
                    for (int d = shape.reducedRank - 1; d >= 0; --d) {
                        offset += (restR % shape.reducedSize[d]) * shape.reducedStride[d];
                        restR /= shape.reducedSize[d];
                    }
                    float v = x[offset];
                    acc = reduce_combine(op, acc, op == OP_SUM_SQUARES ? v * v : v);
                }
                out[o] = op == OP_SUM || op == OP_SUM_SQUARES ? acc * scale : acc;
            }
        }

        // One block per row (outer × inner rows of n elements, `inner` apart): long rows.
        extern "C" __global__ void reduce_rows(int op, const float* x, float* out, i64 rows, i64 n, i64 inner, float scale) {
            extern __shared__ float shared[];
            for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
                const float* base = x + (row / inner) * n * inner + row % inner;
                float acc = reduce_identity(op);
                for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
                    float v = base[j * inner];
                    acc = reduce_combine(op, acc, op == OP_SUM_SQUARES ? v * v : v);
                }
                float total = block_reduce(op == OP_SUM_SQUARES ? OP_SUM : op, acc, shared);
                if (threadIdx.x == 0) out[row] = op == OP_SUM || op == OP_SUM_SQUARES ? total * scale : total;
            }
        }

        // The first pass of a whole-tensor reduction: block b reduces a fixed slice into partial[b];
        // reduce_rows over the partials finishes it (two launches, deterministic).
        extern "C" __global__ void reduce_all_partial(int op, const float* x, float* partial, i64 n) {
            extern __shared__ float shared[];
            float acc = reduce_identity(op);
            GRID_LOOP(i, n) {
                float v = x[i];
                acc = reduce_combine(op, acc, op == OP_SUM_SQUARES ? v * v : v);
            }
            float total = block_reduce(op == OP_SUM_SQUARES ? OP_SUM : op, acc, shared);
            if (threadIdx.x == 0) partial[blockIdx.x] = total;
        }

        // g (outer × inner) written at index[o, i] along the n-long dimension of out (outer × n ×
        // inner), which holds zeros: the gradient of max/min along a dimension. Each output is
        // written once, so no order matters.
        extern "C" __global__ void scatter_dim(const float* g, const i64* index, float* out, i64 outer, i64 n, i64 inner) {
            GRID_LOOP(k, outer * inner) {
                i64 o = k / inner, i = k % inner;
                out[(o * n + index[k]) * inner + i] = g[k];
            }
        }

        // Whether (v, vi) beats (b, bi): NaN wins (it propagates, as in PyTorch), then the larger (or,
        // with `smallest`, the smaller) value, then the lower index; an index of n is no candidate.
        __device__ __forceinline__ bool arg_better(int smallest, float v, i64 vi, float b, i64 bi, i64 n) {
            if (vi >= n) return false;
            if (bi >= n) return true;
            bool vNaN = v != v, bNaN = b != b;
            if (vNaN || bNaN) return vNaN && (!bNaN || vi < bi);
            if (v == b) return vi < bi;
            return smallest ? v < b : v > b;
        }

        // The index of the largest (or least) element of each row; the first one on ties.
        extern "C" __global__ void argreduce_rows(int smallest, const float* x, i64* out, i64 rows, i64 n, i64 inner) {
            extern __shared__ float shared[];
            i64* indices = (i64*)(shared + blockDim.x);
            for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
                const float* base = x + (row / inner) * n * inner + row % inner;
                float best = 0.0f;
                i64 bestIndex = n;
                for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
                    float v = base[j * inner];
                    if (arg_better(smallest, v, j, best, bestIndex, n)) { best = v; bestIndex = j; }
                }
                shared[threadIdx.x] = best;
                indices[threadIdx.x] = bestIndex;
                __syncthreads();
                for (u32 half = blockDim.x / 2; half > 0; half /= 2) {
                    if (threadIdx.x < half && arg_better(smallest, shared[threadIdx.x + half], indices[threadIdx.x + half],
                                                         shared[threadIdx.x], indices[threadIdx.x], n)) {
                        shared[threadIdx.x] = shared[threadIdx.x + half];
                        indices[threadIdx.x] = indices[threadIdx.x + half];
                    }
                    __syncthreads();
                }
                if (threadIdx.x == 0) out[row] = indices[0];
                __syncthreads();
            }
        }
        """#,
        kernels: ["reduce_strided", "reduce_rows", "reduce_all_partial", "argreduce_rows", "scatter_dim"])
}
