#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An event file opened for appending, reporting failures with `errno`'s message and the path.
///
/// POSIX calls rather than `FileHandle` so errors carry the system's reason ("Permission
/// denied"), and `O_EXCL` so a writer never truncates another writer's file.
struct EventFileHandle {
    /// Where the file is.
    let path: String
    private let descriptor: Int32

    /// Creates the file, failing if it already exists.
    init(creating path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw EventFileError(.createFile, path: path, reason: Self.systemReason())
        }
        self.path = path
        self.descriptor = descriptor
    }

    /// Writes all of `bytes`, retrying short and interrupted writes.
    func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = writeDescriptor(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw EventFileError(.write, path: path, reason: Self.systemReason())
                }
                offset += written
            }
        }
    }

    /// Closes the descriptor.
    func close() throws {
        if closeDescriptor(descriptor) != 0 {
            throw EventFileError(.close, path: path, reason: Self.systemReason())
        }
    }

    /// The message for the current `errno`.
    static func systemReason() -> String { String(cString: strerror(errno)) }
}

// File-scope names for the C calls, which the methods of the same names would shadow.
private func writeDescriptor(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

private func closeDescriptor(_ descriptor: Int32) -> Int32 { close(descriptor) }
