#if canImport(Glibc)
import Glibc
#endif

/// Writing to standard error through file descriptor 2: unbuffered, so a message is out before
/// an abort, and free of C's global `stderr` (shared mutable state to Swift 6).
@usableFromInline package enum StandardError {
    /// Writes `line` and a newline.
    @usableFromInline package static func write(line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(2, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
