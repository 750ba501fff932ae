#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the whole file at `path`, throwing a ``DataError`` with the system's reason on failure.
///
/// POSIX calls rather than Foundation so the message carries `errno` (`No such file or
/// directory`), which `FileManager.contents(atPath:)` would swallow.
func readFileBytes(_ path: String) throws -> [UInt8] {
    guard let file = fopen(path, "rb") else {
        throw DataError(.unreadable, file: path, String(cString: strerror(errno)))
    }
    defer { fclose(file) }
    var info = stat()
    if fstat(fileno(file), &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
        throw DataError(.unreadable, file: path, "is a directory")
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(max(Int(info.st_size), 0))
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
        if n < chunk.count {
            if ferror(file) != 0 {
                throw DataError(.unreadable, file: path, at: .byteOffset(bytes.count), String(cString: strerror(errno)))
            }
            break
        }
    }
    return bytes
}

/// Writes `bytes` to `path`, replacing it, throwing a ``DataError`` on failure.
func writeFileBytes(_ bytes: [UInt8], to path: String) throws {
    guard let file = fopen(path, "wb") else {
        throw DataError(.unreadable, file: path, String(cString: strerror(errno)))
    }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    let closed = fclose(file)
    if written != bytes.count || closed != 0 {
        throw DataError(.unreadable, file: path, "write failed: \(String(cString: strerror(errno)))")
    }
}
