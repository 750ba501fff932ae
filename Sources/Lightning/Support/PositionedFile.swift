import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file read and written at explicit offsets (`pread`/`pwrite`), so that several processes can
/// fill disjoint parts of one file on a shared file system without seeking or locking.
struct PositionedFile {
    let path: String
    private let descriptor: Int32

    private init(path: String, flags: Int32) throws {
        let fd = open(path, flags | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.failure("open", path) }
        self.path = path
        self.descriptor = fd
    }

    /// A new empty file at `path` (an existing one is truncated).
    static func create(_ path: String) throws -> PositionedFile {
        try PositionedFile(path: path, flags: O_WRONLY | O_CREAT | O_TRUNC)
    }

    /// The existing file at `path`, for writing.
    static func openForWriting(_ path: String) throws -> PositionedFile {
        try PositionedFile(path: path, flags: O_WRONLY)
    }

    /// The existing file at `path`, for reading.
    static func openForReading(_ path: String) throws -> PositionedFile {
        try PositionedFile(path: path, flags: O_RDONLY)
    }

    /// Writes all of `bytes` at `offset` (`pwrite` may write less than asked, so it loops).
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Self.failure("write", path) }
            done += n
        }
    }

    /// Writes `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: Int) throws {
        try bytes.withUnsafeBytes { try write($0, at: offset) }
    }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        while true {
            let n = pread(descriptor, buffer.baseAddress!, buffer.count, off_t(offset))
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw Self.failure("read", path) }
            return n
        }
    }

    /// Sets the file's size to `size` bytes (holes read as zeros until written).
    func truncate(to size: Int) throws {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw Self.failure("resize", path) }
    }

    /// Flushes the file to storage, so another node reads what this process wrote.
    func sync() throws {
        guard fsync(descriptor) == 0 else { throw Self.failure("sync", path) }
    }

    /// Closes the descriptor; the value must not be used afterwards.
    func close() {
        _ = Glibc.close(descriptor)
    }

    private static func failure(_ action: String, _ path: String) -> LightningError {
        .misconfiguration("could not \(action) \(path): \(String(cString: strerror(errno)))")
    }
}
