#if canImport(Glibc)
import Glibc
#endif

/// Opens the CUDA libraries at run time and reports what it found: the driver first (without it
/// nothing else is looked for), then NVRTC, cuBLAS and NCCL, each from the first location of
/// ``CUDALibrarySearch`` that opens and exports every function this build calls.
enum CUDALibraryLoader {
    /// What loading found, with the loaded functions.
    struct Loaded {
        var availability: CUDAAvailability
        var driver: DriverAPIDriver?
        var nvrtc: NVRTCAPI?
        var cublas: CUBLASAPI?
        var nccl: NCCLAPI?
    }

    /// Loads everything `search` finds.
    static func load(search: CUDALibrarySearch, visibleDevices: String?) -> Loaded {
        let driver: DriverAPIDriver
        switch open(.driver, search: search, DriverAPI.init) {
        case .failure(let reason): return Loaded(availability: CUDAAvailability(driver: .missing(reason.description), visibleDevices: visibleDevices))
        case .success(let api):
            do { driver = try DriverAPIDriver(api: api) } catch {
                return Loaded(availability: CUDAAvailability(driver: .missing("\(api.library.path) is there, but \(error)"), visibleDevices: visibleDevices))
            }
        }
        var availability = CUDAAvailability(driver: .loaded(path: driver.libraryPath,
                                                            version: "CUDA \(driver.version / 1000).\(driver.version % 1000 / 10)"),
                                            visibleDevices: visibleDevices)
        availability.devices = (0..<driver.deviceCount).compactMap { try? driver.properties(of: $0) }
        var loaded = Loaded(availability: availability, driver: driver)
        switch open(.nvrtc, search: search, NVRTCAPI.init) {
        case .success(let api):
            loaded.nvrtc = api
            loaded.availability.nvrtc = .loaded(path: api.library.path, version: "\(api.version.major).\(api.version.minor)")
        case .failure(let reason): loaded.availability.nvrtc = .missing(reason.description)
        }
        switch open(.cublas, search: search, CUBLASAPI.init) {
        case .success(let api):
            loaded.cublas = api
            loaded.availability.cublas = .loaded(path: api.library.path, version: api.version)
        case .failure(let reason): loaded.availability.cublas = .missing(reason.description)
        }
        switch open(.nccl, search: search, NCCLAPI.init) {
        case .success(let api):
            loaded.nccl = api
            loaded.availability.nccl = .loaded(path: api.library.path, version: api.version)
        case .failure(let reason): loaded.availability.nccl = .missing(reason.description)
        }
        return loaded
    }

    /// NVRTC alone (compiling kernels needs no driver or GPU: what CI checks).
    static func loadNVRTC(search: CUDALibrarySearch) -> Result<NVRTCAPI, CUDAUnavailable> {
        open(.nvrtc, search: search, NVRTCAPI.init)
    }

    /// The first candidate of `library` that opens and resolves with `resolve`, or why none did
    /// (a library that opened but lacks a function is the telling reason, so it comes first).
    private static func open<API>(_ library: CUDALibrary, search: CUDALibrarySearch,
                                  _ resolve: (DynamicLibrary) throws(CUDAError) -> API) -> Result<API, CUDAUnavailable> {
        let candidates = search.candidates(for: library)
        var reasons: [String] = []
        for candidate in candidates {
            switch DynamicLibrary.open(firstOf: [candidate]) {
            case .failure(let failure): reasons += failure.reasons
            case .success(let opened):
                do { return .success(try resolve(opened)) } catch { reasons.insert("\(error)", at: 0) }
            }
        }
        return .failure(CUDAUnavailable(description: LibraryLoadFailure(tried: candidates, reasons: reasons).description))
    }
}

/// Why a CUDA library is unusable, as an error.
public struct CUDAUnavailable: Error, CustomStringConvertible, Sendable {
    /// The reason.
    public let description: String
}
