/// The CUDA libraries swift-lightning opens at run time, and the file names each may have.
///
/// No CUDA library is linked: the package builds and runs without CUDA, and a GPU run opens
/// what it needs with `dlopen` (``CUDALibraryLoader``).
public enum CUDALibrary: String, CaseIterable, Sendable {
    /// The driver API, installed with the NVIDIA driver (never from a wheel or a toolkit).
    case driver
    /// NVRTC, which compiles the CUDA C kernels to PTX at run time.
    case nvrtc
    /// cuBLAS, for matrix products.
    case cublas
    /// NCCL, for gradient averaging between GPUs (optional: MPI through host memory otherwise).
    case nccl

    /// The file names to try, newest ABI first: CUDA 13, then 12, then an unversioned link.
    public var fileNames: [String] {
        switch self {
        case .driver: return ["libcuda.so.1", "libcuda.so"]
        case .nvrtc: return ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"]
        case .cublas: return ["libcublas.so.13", "libcublas.so.12", "libcublas.so"]
        case .nccl: return ["libnccl.so.2", "libnccl.so"]
        }
    }

    /// Folders the driver is installed in besides the linker's path: NVIDIA's container runtime
    /// mounts it in `/usr/local/nvidia/lib64`, WSL in `/usr/lib/wsl/lib`.
    var driverFolders: [String] { self == .driver ? ["/usr/local/nvidia/lib64", "/usr/lib/wsl/lib"] : [] }

    /// The folders inside a Python `site-packages` where NVIDIA's pip wheels put this library:
    /// CUDA 13 wheels share `nvidia/cu13/lib`; CUDA 12 wheels have one folder per package.
    var wheelFolders: [String] {
        switch self {
        case .driver: return []
        case .nvrtc: return ["nvidia/cu13/lib", "nvidia/cuda_nvrtc/lib"]
        case .cublas: return ["nvidia/cu13/lib", "nvidia/cublas/lib"]
        case .nccl: return ["nvidia/nccl/lib", "nvidia/cu13/lib"]
        }
    }

    /// How the library is named in messages.
    public var displayName: String {
        switch self {
        case .driver: return "the CUDA driver (libcuda.so.1)"
        case .nvrtc: return "NVRTC (libnvrtc.so.13 or .12)"
        case .cublas: return "cuBLAS (libcublas.so.13 or .12)"
        case .nccl: return "NCCL (libnccl.so.2)"
        }
    }
}
