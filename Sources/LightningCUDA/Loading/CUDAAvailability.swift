/// What this process found of CUDA, and what keeps it from training on a GPU (a pure rule over
/// what was found, so every message is tested without CUDA).
public struct CUDAAvailability: Sendable, Equatable {
    /// One library: where it was loaded from and its version, or why it was not.
    public enum Status: Sendable, Equatable {
        /// Opened from `path`, reporting `version`.
        case loaded(path: String, version: String)
        /// Not usable, with the reason.
        case missing(String)

        /// Whether it was loaded.
        public var isLoaded: Bool { if case .loaded = self { return true } else { return false } }
    }

    /// The driver API.
    public var driver: Status
    /// The devices the driver shows this process.
    public var devices: [CUDADeviceProperties]
    /// NVRTC.
    public var nvrtc: Status
    /// cuBLAS.
    public var cublas: Status
    /// NCCL (optional: gradients go through host memory and MPI without it).
    public var nccl: Status
    /// `CUDA_VISIBLE_DEVICES` as set, if it is.
    public var visibleDevices: String?

    /// A report; statuses left out were not looked for (the driver failed first).
    public init(driver: Status, devices: [CUDADeviceProperties] = [], nvrtc: Status = .missing("not looked for"),
                cublas: Status = .missing("not looked for"), nccl: Status = .missing("not looked for"), visibleDevices: String? = nil) {
        self.driver = driver
        self.devices = devices
        self.nvrtc = nvrtc
        self.cublas = cublas
        self.nccl = nccl
        self.visibleDevices = visibleDevices
    }

    /// The first thing missing for a GPU run, in the order a run needs them (driver, device,
    /// NVRTC, cuBLAS), or `nil` when a GPU run can start. NCCL is never required.
    public var problem: String? {
        if case .missing(let reason) = driver {
            return "no CUDA driver: libcuda.so.1 could not be loaded (\(reason)); install the NVIDIA driver, or train on the CPU"
        }
        if devices.isEmpty {
            let hidden = visibleDevices.map { " (CUDA_VISIBLE_DEVICES=\"\($0)\" hides the others)" } ?? ""
            return "no CUDA device: the driver shows none to this process\(hidden)"
        }
        if case .missing(let reason) = nvrtc {
            return "no NVRTC, which compiles the GPU kernels: \(reason); install it with `pip install nvidia-cuda-nvrtc` "
                + "(or the CUDA toolkit), or name its folder in \(CUDALibrarySearch.pathVariable)"
        }
        if case .missing(let reason) = cublas {
            return "no cuBLAS, which computes matrix products on the GPU: \(reason); install it with `pip install nvidia-cublas` "
                + "(or the CUDA toolkit), or name its folder in \(CUDALibrarySearch.pathVariable)"
        }
        return nil
    }

    /// One line per library and device, for logs and `swift-lightning` messages.
    public var summary: String {
        func line(_ name: String, _ status: Status) -> String {
            switch status {
            case .loaded(let path, let version): return "\(name): \(version) (\(path))"
            case .missing(let reason): return "\(name): missing (\(reason))"
            }
        }
        var lines = [line("driver", driver)]
        lines += devices.enumerated().map { "cuda:\($0.offset): \($0.element.name), compute capability \($0.element.major).\($0.element.minor)" }
        if driver.isLoaded { lines += [line("nvrtc", nvrtc), line("cublas", cublas), line("nccl", nccl)] }
        return lines.joined(separator: "\n")
    }
}
