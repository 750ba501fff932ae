#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A whole file mapped into memory read-only (`mmap`, `MAP_SHARED`), unmapped on `deinit`.
///
/// Opening costs a system call, not a read: pages come from the page cache when first touched,
/// and every process on the node that maps the same file shares those pages, so N ranks reading
/// one dataset hold one copy of it in memory, not N. Touched pages count in a process's RSS
/// (`VmHWM`, `maxrss`; the kernel may map a whole cached folio per fault) but they are shared,
/// reclaimable page cache: private memory (`RssAnon`) stays the size of the batches.
///
/// Do not modify a file while a run has it mapped. Shrinking or truncating it in place makes any
/// later access past the new end raise `SIGBUS` (the kernel cannot supply the page), and writing
/// it in place changes what the run reads. Replacing it by `rename` (write a new file, move it
/// over the old name) is safe: the mapping keeps the old inode alive until it is unmapped.
// Unchecked: the mapping is read-only and never remapped, so `base` points at the same
// immutable bytes from `init` to `deinit`, whichever thread reads them.
public final class MappedFile: @unchecked Sendable {
    /// The path the file was opened with (errors name it).
    public let path: String
    /// The file's size in bytes when it was mapped.
    public let byteCount: Int
    /// The first byte of the mapping; `nil` for an empty file (nothing to map).
    let base: UnsafeRawPointer?
    /// How many leading bytes ``releaseResidentPages(before:)`` has released so far.
    let releasedPrefix = Atomic<Int>(0)

    /// Maps the file at `path`, throwing a ``DataError`` naming it if it cannot be opened or mapped.
    public init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError(.unreadable, file: path, String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DataError(.unreadable, file: path, String(cString: strerror(errno))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw DataError(.unreadable, file: path, "is a directory") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw DataError(.unreadable, file: path, "is not a regular file (only regular files can be mapped)")
        }
        self.path = path
        self.byteCount = Int(info.st_size)
        if byteCount == 0 {
            base = nil
            return
        }
        // The descriptor can close right away: the mapping holds its own reference to the file.
        let mapped = mmap(nil, byteCount, PROT_READ, MAP_SHARED, fd, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw DataError(.unreadable, file: path, "cannot map \(byteCount) bytes: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(mapped)
    }

    /// The whole file's bytes (empty for an empty file); valid while this object is alive.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: byteCount) }

    /// The address of byte `offset` (the caller has checked it is inside the file).
    func address(_ offset: Int) -> UnsafeRawPointer { base! + offset }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), byteCount) }
    }
}
