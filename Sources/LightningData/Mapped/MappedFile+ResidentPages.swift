#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

extension MappedFile {
    /// The unit of release: the size of a PMD-mapped huge page, so a release never splits a
    /// huge mapping the kernel made for a large cached folio.
    static let releaseBlock = 2 << 20

    /// Drops this process's mapping of the file's whole 2 MiB blocks before byte `offset`
    /// (`madvise(MADV_DONTNEED)`), so they stop counting in its resident memory.
    ///
    /// The data stays in the page cache: reading those bytes again faults them back in (a minor
    /// fault, no disk read while the cache holds them), so a release never changes what is read,
    /// only what the process holds. Only ever moves forward; calls that would release nothing new
    /// cost one atomic load.
    public func releaseResidentPages(before offset: Int) {
        guard let base else { return }
        let end = min(offset, byteCount) / Self.releaseBlock * Self.releaseBlock
        let start = releasedPrefix.load(ordering: .relaxed)
        guard end > start else { return }
        // One caller wins each range; a loser's range is covered by the winner's or the next call.
        guard releasedPrefix.compareExchange(expected: start, desired: end, ordering: .relaxed).exchanged else { return }
        // The mapping is page-aligned and `start`, `end` are multiples of the block, so the range
        // is too. Failure (it cannot happen for a plain read-only file mapping) only keeps pages.
        _ = madvise(UnsafeMutableRawPointer(mutating: base) + start, end - start, MADV_DONTNEED)
    }
}

extension MappedArray {
    /// Releases this process's mapping of the blocks that lie wholly before row `row`
    /// (``MappedFile/releaseResidentPages(before:)``).
    public func releaseResidentPages(beforeRow row: Int) {
        file.releaseResidentPages(before: dataOffset + min(max(row, 0), rowCount) * rowElementCount * element.byteSize)
    }
}
