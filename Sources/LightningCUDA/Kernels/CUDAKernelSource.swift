/// One translation unit of CUDA C that NVRTC compiles to PTX, and the kernels (`extern "C"`
/// names) it defines.
///
/// Every kernel of the GPU backend is in ``all``; CI compiles each with NVRTC
/// (`CUDAKernelCompilationTests`), so a kernel that does not compile fails the build's tests
/// even on machines without a GPU.
public struct CUDAKernelSource: Sendable, Hashable {
    /// A short name (the cache file and error messages use it).
    public let name: String
    /// The CUDA C text, self-contained (NVRTC gets no include paths).
    public let code: String
    /// The kernels it defines.
    public let kernels: [String]

    /// A source named `name` defining `kernels`.
    public init(name: String, code: String, kernels: [String]) {
        self.name = name
        self.code = code
        self.kernels = kernels
    }

    /// Every kernel source of the backend.
    public static let all: [CUDAKernelSource] = [elementwise, reduction, softmax, convolution, optimizers, random, indexing]

    /// Definitions every source starts with: fixed-width names NVRTC has without headers, the
    /// grid-stride loop and the shared block reduction.
    static let prelude = #"""
    typedef long long i64;
    typedef unsigned long long u64;
    typedef unsigned int u32;

    // Every thread visits i, i + stride, ... below n: any grid covers any size.
    #define GRID_LOOP(i, n) for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64)blockDim.x * gridDim.x)

    #define OP_SUM 0
    #define OP_MAX 1
    #define OP_MIN 2
    #define OP_SUM_SQUARES 3

    __device__ __forceinline__ float reduce_identity(int op) {
        return op == OP_MAX ? -__int_as_float(0x7f800000) : (op == OP_MIN ? __int_as_float(0x7f800000) : 0.0f);
    }

    __device__ __forceinline__ float reduce_combine(int op, float a, float b) {
        // NaN propagates through max and min, as PyTorch's reductions do.
        if (op == OP_MAX) return (a != a || a > b) ? a : b;
        if (op == OP_MIN) return (a != a || a < b) ? a : b;
        return a + b;
    }

    // Reduces one value per thread of the block in a fixed tree (the same order on every run:
    // no atomics), leaving the result in shared[0]. blockDim.x is a power of two <= 1024.
    __device__ float block_reduce(int op, float value, float* shared) {
        shared[threadIdx.x] = value;
        __syncthreads();
        for (u32 half = blockDim.x / 2; half > 0; half /= 2) {
            if (threadIdx.x < half) shared[threadIdx.x] = reduce_combine(op, shared[threadIdx.x], shared[threadIdx.x + half]);
            __syncthreads();
        }
        float result = shared[0];
        __syncthreads();
        return result;
    }
    """#
}
