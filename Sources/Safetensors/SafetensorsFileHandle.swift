#if canImport(Glibc)
import Glibc
private let posixWrite = Glibc.write
private let posixClose = Glibc.close
#elseif canImport(Darwin)
import Darwin
private let posixWrite = Darwin.write
private let posixClose = Darwin.close
#endif

/// A POSIX file descriptor with the few operations the codec needs, each failure a ``SafetensorsError``.
///
/// POSIX rather than Foundation so the codec (and LightningTensor) does not link Foundation, and so writes can be
/// fsynced before the atomic rename.
struct SafetensorsFileHandle {
    let descriptor: Int32
    let path: String

    /// Opens `path` for reading.
    init(readingAt path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw Self.systemError("open", path: path) }
        self.descriptor = fd
        self.path = path
    }

    /// Creates `path`, which must not exist, for writing.
    init(creatingExclusively path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw Self.systemError("create", path: path) }
        self.descriptor = fd
        self.path = path
    }

    /// An error for the current `errno`.
    static func systemError(_ operation: String, path: String) -> SafetensorsError {
        let message = String(cString: strerror(errno))
        return SafetensorsError(.io(operation: operation, message: message), path: path)
    }

    /// The file's size in bytes.
    func size() throws -> Int {
        var info = stat()
        if fstat(descriptor, &info) != 0 { throw Self.systemError("stat", path: path) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw SafetensorsError(.io(operation: "open", message: "is a directory"), path: path)
        }
        return Int(info.st_size)
    }

    /// Reads `buffer.count` bytes at `position`; with `required`, a short file is an error,
    /// otherwise the count read is returned.
    func read(into buffer: UnsafeMutableRawBufferPointer, at position: Int, required: Bool = true) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(position + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.systemError("read", path: path)
            }
            if n == 0 { break }
            done += n
        }
        if required && done < buffer.count { throw SafetensorsError(.truncated(expected: buffer.count, got: done), path: path) }
        return done
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = posixWrite(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.systemError("write", path: path)
            }
            done += n
        }
    }

    /// Writes all of `bytes` at `position`, leaving the file offset where it was.
    func write(_ bytes: UnsafeRawBufferPointer, at position: Int) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(position + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.systemError("write", path: path)
            }
            done += n
        }
    }

    /// Flushes the file's data to the device.
    func sync() throws {
        if fsync(descriptor) != 0 { throw Self.systemError("fsync", path: path) }
    }

    /// Closes the descriptor (errors on close of a read-only file carry no information).
    func close() {
        _ = posixClose(descriptor)
    }
}
