/// A failure of a CUDA library call, named as the library names it.
public enum CUDAError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A library opened but lacks a function this build calls (too old a version).
    case missingSymbol(library: String, symbol: String)
    /// A driver call returned an error code.
    case driver(call: String, code: Int32, name: String, message: String)
    /// NVRTC could not compile a kernel source: its log.
    case compilation(source: String, log: String)
    /// An NVRTC, cuBLAS or NCCL call returned an error code.
    case library(call: String, code: Int32, message: String)
    /// CUDA cannot be used in this process (what is missing).
    case unavailable(String)
    /// A device ordinal the driver does not have.
    case noSuchDevice(ordinal: Int, count: Int)

    public var description: String {
        switch self {
        case .missingSymbol(let library, let symbol):
            return "\(library) does not export \(symbol); this build needs CUDA 12 or newer"
        case .driver(let call, let code, let name, let message):
            return "\(call) failed: \(name) (\(code)): \(message)"
        case .compilation(let source, let log):
            return "NVRTC could not compile the kernels of \(source):\n\(log)"
        case .library(let call, let code, let message):
            return "\(call) failed with status \(code): \(message)"
        case .unavailable(let reason):
            return "CUDA is not available: \(reason)"
        case .noSuchDevice(let ordinal, let count):
            return "cuda:\(ordinal) does not exist: the driver shows \(count) device\(count == 1 ? "" : "s")"
                + (count > 1 ? " (cuda:0…cuda:\(count - 1))" : count == 1 ? " (cuda:0)" : "")
        }
    }
}
