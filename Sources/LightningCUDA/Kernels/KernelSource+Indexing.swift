extension CUDAKernelSource {
    /// Joining and slicing: copies of positions along one dimension, in 32-bit words (an int64
    /// element is two), each output word written by one thread: the same bits on every run.
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
        """#,
        kernels: ["copy_along_dim"])
}
