#if canImport(Glibc)
import Glibc
#endif
import CMPI

/// Reading MPI return codes.
enum MPIStatus {
    /// MPI's text for an error code.
    static func errorText(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(cmpi_max_error_string()) + 1)
        var length: Int32 = 0
        guard MPI_Error_string(code, &buffer, &length) == cmpi_success() else { return "MPI error \(code)" }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Aborts the job when `code` is not success (for calls made before a communicator exists).
    static func require(_ code: Int32, _ call: StaticString, rank: Int) {
        if code != cmpi_success() {
            JobTermination.abort(rank: rank, code: 1, message: "\(call) failed: \(errorText(code))")
        }
    }
}
