/// Where to look for a CUDA library: a pure function of the environment and of what folders
/// exist, so the order is tested without CUDA.
///
/// The order: the folders in `SWIFT_LIGHTNING_CUDA_PATH` (colon-separated, the user's override);
/// the bare file name, which `dlopen` resolves through `LD_LIBRARY_PATH` and the linker cache;
/// `CUDA_HOME`/`CUDA_PATH` and `/usr/local/cuda`; then the `site-packages` of Python
/// environments, where `pip install nvidia-cuda-nvrtc` (or PyTorch) puts NVRTC, cuBLAS and NCCL.
/// The driver must match the kernel module, so it is never a wheel's or a toolkit's copy: after
/// the override and the linker's path, only the folders NVIDIA's container runtime and WSL mount.
public struct CUDALibrarySearch: Sendable {
    /// The variable naming extra folders to search first.
    public static let pathVariable = "SWIFT_LIGHTNING_CUDA_PATH"

    /// The process environment (or a test's).
    let environment: [String: String]
    /// The entries of a folder (names only); empty when it does not exist.
    let listFolder: @Sendable (String) -> [String]

    /// A search over `environment`, listing folders with `listFolder`.
    public init(environment: [String: String], listFolder: @escaping @Sendable (String) -> [String]) {
        self.environment = environment
        self.listFolder = listFolder
    }

    /// The paths (or bare names, for `dlopen`'s own search) to try for `library`, in order,
    /// without repeats.
    public func candidates(for library: CUDALibrary) -> [String] {
        var folders = (environment[Self.pathVariable] ?? "").split(separator: ":").map(String.init)
        var result = folders.flatMap { folder in library.fileNames.map { "\(folder)/\($0)" } }
        result += library.fileNames
        result += library.driverFolders.flatMap { folder in library.fileNames.map { "\(folder)/\($0)" } }
        if library != .driver {
            folders = toolkitFolders() + sitePackages().flatMap { site in library.wheelFolders.map { "\(site)/\($0)" } }
            result += folders.flatMap { folder in
                let present = Set(listFolder(folder))
                return library.fileNames.filter(present.contains).map { "\(folder)/\($0)" }
            }
        }
        var seen = Set<String>()
        return result.filter { seen.insert($0).inserted }
    }

    /// The CUDA toolkit's library folders.
    func toolkitFolders() -> [String] {
        let roots = [environment["CUDA_HOME"], environment["CUDA_PATH"], "/usr/local/cuda"].compactMap { $0 }
        return roots.flatMap { ["\($0)/lib64", "\($0)/targets/x86_64-linux/lib", "\($0)/lib"] }
    }

    /// Python `site-packages` (and Debian's `dist-packages`) folders: the active virtual or conda
    /// environment, the environment above each `PATH` entry (`…/bin/python3`), pyenv's versions,
    /// the user's and the system's.
    func sitePackages() -> [String] {
        var prefixes: [String] = [environment["VIRTUAL_ENV"], environment["CONDA_PREFIX"]].compactMap { $0 }
        for entry in (environment["PATH"] ?? "").split(separator: ":") where entry.hasSuffix("/bin") {
            prefixes.append(String(entry.dropLast(4)))
        }
        let pyenv = environment["PYENV_ROOT"] ?? environment["HOME"].map { "\($0)/.pyenv" }
        if let pyenv {
            prefixes += listFolder("\(pyenv)/versions").sorted().map { "\(pyenv)/versions/\($0)" }
        }
        if let home = environment["HOME"] { prefixes.append("\(home)/.local") }
        prefixes += ["/usr/local", "/usr"]
        var folders: [String] = []
        for prefix in prefixes {
            for python in listFolder("\(prefix)/lib").filter({ $0.hasPrefix("python3") }).sorted() {
                folders += ["\(prefix)/lib/\(python)/site-packages", "\(prefix)/lib/\(python)/dist-packages"]
            }
        }
        folders.append("/usr/lib/python3/dist-packages")
        return folders
    }
}
