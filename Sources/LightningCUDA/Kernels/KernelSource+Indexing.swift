extension CUDAKernelSource {
    /// Joining, slicing and selecting: copies of positions along one dimension, in 32-bit words
    /// (an int64 element is two), and the sum of a selection's gradient back into its rows. Each
    /// output is written by one thread, in a fixed order: the same bits on every run.
    public static let indexing = CUDAKernelSource(
        name: "indexing",
        code: prelude + #"""

        // For o < outer, j < count, w < inner (words):
        //   out[(o * outN + outStart + j * outStep) * inner + w] = in[(o * inN + inStart + j * inStep) * inner + w]
        // cat copies each input into its columns of the output, slice takes every step-th
        // position, and slice's gradient puts them back into zeros.
        extern "C" __global__ void copy_along_dim(const u32* in, u32* out, i64 outer, i64 count, i64 inner,
                                                  i64 inN, i64 inStart, i64 inStep, i64 outN, i64 outStart, i64 outStep) {
            GRID_LOOP(k, outer * count * inner) {
                i64 w = k % inner, j = (k / inner) % count, o = k / (inner * count);
                out[(o * outN + outStart + j * outStep) * inner + w] = in[(o * inN + inStart + j * inStep) * inner + w];
            }
        }

        // out[(o * k + j) * inner + w] = in[(o * n + index[j]) * inner + w]: index_select, embedding.
        extern "C" __global__ void gather_along_dim(const u32* in, const i64* index, u32* out, i64 outer, i64 k, i64 n, i64 inner) {
            GRID_LOOP(t, outer * k * inner) {
                i64 w = t % inner, j = (t / inner) % k, o = t / (inner * k);
                out[t] = in[(o * n + index[j]) * inner + w];
            }
        }

        // The gradient of gather_along_dim without atomics: row r of the output sums g at the
        // positions that selected r, listed in increasing order in positions[rowStart[r] ..<
        // rowStart[r + 1]], so each sum runs in the CPU's order.
        extern "C" __global__ void scatter_sum_along_dim(const float* g, const i64* rowStart, const i64* positions, float* out,
                                                         i64 outer, i64 n, i64 k, i64 inner) {
            GRID_LOOP(t, outer * n * inner) {
                i64 i = t % inner, r = (t / inner) % n, o = t / (inner * n);
                float acc = 0.0f;
                for (i64 p = rowStart[r]; p < rowStart[r + 1]; ++p) acc += g[(o * k + positions[p]) * inner + i];
                out[t] = acc;
            }
        }
        """#,
        kernels: ["copy_along_dim", "gather_along_dim", "scatter_sum_along_dim"])
}
