import Checksums
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
/// A safetensors file opened for reading: its validated header, then each tensor's bytes on demand.
///
/// The header is checked (sizes, offsets, dtypes) before any tensor memory is allocated, and
/// ``read(_:into:)`` reads a tensor straight into the caller's memory, so a loader can fill its
/// own storage without a second copy of the file in memory. Every error names the file.
public final class SafetensorsReader {
    /// The file's path.
    public let path: String
    /// The validated header.
    public let header: SafetensorsHeader

    private let file: SafetensorsFileHandle

    /// Opens `path` and validates its header against the file's size.
    public init(path: String) throws {
        self.path = path
        let file: SafetensorsFileHandle
        do {
            file = try SafetensorsFileHandle(readingAt: path)
        } catch let error as SafetensorsError {
            throw error.inFile(path)
        }
        do {
            let total = try file.size()
            var lengthBytes = [UInt8](repeating: 0, count: 8)
            let got = try lengthBytes.withUnsafeMutableBytes { try file.read(into: $0, at: 0, required: false) }
            let length = try lengthBytes.withUnsafeBytes {
                try SafetensorsHeader.validatedLength(lengthBytes: UnsafeRawBufferPointer(rebasing: $0[0..<got]), fileSize: total)
            }
            var json = [UInt8](repeating: 0, count: length)
            _ = try json.withUnsafeMutableBytes { try file.read(into: $0, at: 8) }
            header = try json.withUnsafeBytes { try SafetensorsHeader.parse($0, dataLength: total - 8 - length) }
        } catch let error as SafetensorsError {
            file.close()
            throw error.inFile(path)
        }
        self.file = file
    }

    deinit { file.close() }

    /// How much is read before it is checksummed: small enough to stay in the cache.
    package static let checkedChunk = 256 << 10

    /// Reads `entry`'s bytes into `destination`, which must be exactly `entry.dataOffsets.count` long,
    /// and verifies them against the checksum the file records for `entry`, if any.
    public func read(_ entry: SafetensorsHeader.Entry, into destination: UnsafeMutableRawBufferPointer) throws {
        precondition(destination.count == entry.dataOffsets.count,
                     "SafetensorsReader.read: \(destination.count) bytes of room for the \(entry.dataOffsets.count) bytes of '\(entry.name)'")
        do {
            let start = header.dataStart + entry.dataOffsets.lowerBound
            guard let expected = header.checksums[entry.name] else {
                _ = try file.read(into: destination, at: start)
                return
            }
            let crc = destination.count >= Self.pipelinedMinimum
                ? try readPipelined(into: destination, at: start)
                : try readChecked(into: destination, at: start)
            if crc != expected { throw SafetensorsError(.checksumMismatch(expected: expected, actual: crc), tensor: entry.name) }
        } catch var error as SafetensorsError {
            error.tensor = entry.name
            throw error.inFile(path)
        }
    }

    /// Reads into `destination` chunk by chunk, checksumming each while it is still in the cache
    /// (one pass over memory instead of a second over the whole tensor); returns the CRC-32C.
    private func readChecked(into destination: UnsafeMutableRawBufferPointer, at start: Int) throws -> UInt32 {
        var crc: UInt32 = 0
        var done = 0
        while done < destination.count {
            let chunk = UnsafeMutableRawBufferPointer(rebasing: destination[done..<min(done + Self.checkedChunk, destination.count)])
            _ = try file.read(into: chunk, at: start + done)
            crc = CRC32C.checksum(UnsafeRawBufferPointer(chunk), continuing: crc)
            done += chunk.count
        }
        return crc
    }

    /// ``readChecked(into:at:)`` with the checksum on a second thread, a chunk behind the reads,
    /// so a large tensor costs little more than reading it wherever a second core is free.
    private func readPipelined(into destination: UnsafeMutableRawBufferPointer, at start: Int) throws -> UInt32 {
        let ready = ReadProgress()
        var crc: UInt32 = 0
        let bytes = UnsafeRawBufferPointer(destination)
        try concurrently({
            var checked = 0
            while checked < bytes.count {
                let available = ready.bytes
                if available < 0 { return }  // the read failed: nothing more will come
                if available == checked { sched_yield(); continue }
                crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[checked..<available]), continuing: crc)
                checked = available
            }
        }, while: {
            var done = 0
            defer { if done < destination.count { ready.fail() } }
            while done < destination.count {
                let chunk = UnsafeMutableRawBufferPointer(rebasing: destination[done..<min(done + Self.checkedChunk, destination.count)])
                _ = try file.read(into: chunk, at: start + done)
                done += chunk.count
                ready.publish(done)
            }
        })
        return crc
    }

    /// Below this, a tensor is checksummed on the reading thread (a thread's start costs more).
    package static let pipelinedMinimum = 2 << 20

    /// `entry`'s bytes, little-endian as stored.
    public func bytes(of entry: SafetensorsHeader.Entry) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: entry.dataOffsets.count)
        try bytes.withUnsafeMutableBytes { try read(entry, into: $0) }
        return bytes
    }

    /// Every tensor, in data order.
    public func readAll() throws -> [(name: String, tensor: SafetensorsTensor)] {
        try header.entries.map { entry in
            (entry.name, try SafetensorsTensor(dtype: entry.dtype, shape: entry.shape, bytes: bytes(of: entry)))
        }
    }
}

/// How far a pipelined read has come: bytes read so far, published by the reading thread with
/// release ordering so the checksumming thread sees the bytes themselves; -1 when the read failed.
private final class ReadProgress: Sendable {
    private let done = Atomic<Int>(0)
    var bytes: Int { done.load(ordering: .acquiring) }
    func publish(_ count: Int) { done.store(count, ordering: .releasing) }
    func fail() { done.store(-1, ordering: .releasing) }
}
