#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Safetensors {
    /// Encodes `tensors` and `metadata` as the bytes of a safetensors file.
    ///
    /// The output matches the reference writer byte for byte (for the same metadata): tensors
    /// ordered by descending alignment then name, header padded with spaces to a multiple of 8.
    /// Throws only for a tensor named `__metadata__`.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> [UInt8] {
        let (header, order) = try SafetensorsHeader.encode(tensors, metadata: metadata)
        let dataBytes = order.reduce(0) { $0 + $1.1.count * $1.1.dtype.byteSize }
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + dataBytes)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for (_, tensor) in order {
            withLittleEndianBytes(of: tensor) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Writes `tensors` and `metadata` to `path` atomically.
    ///
    /// The file is written under a temporary name in the same directory, fsynced, then renamed over
    /// `path` (and the directory fsynced), so a crash or a concurrent reader never sees a partial file.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to path: String) throws {
        let (header, order) = try SafetensorsHeader.encode(tensors, metadata: metadata)
        let directory = directoryOf(path)
        let baseName = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        let temporary = "\(directory)/.\(baseName).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let file = try SafetensorsFileHandle(creatingExclusively: temporary)
        do {
            try withUnsafeBytes(of: UInt64(header.count).littleEndian) { try file.write($0) }
            try header.withUnsafeBytes { try file.write($0) }
            for (_, tensor) in order {
                try withLittleEndianBytes(of: tensor) { try file.write($0) }
            }
            try file.sync()
            file.close()
        } catch {
            file.close()
            unlink(temporary)
            throw error
        }
        if rename(temporary, path) != 0 {
            let error = SafetensorsFileHandle.systemError("rename", path: path)
            unlink(temporary)
            throw error
        }
        syncDirectory(directory)
    }

    /// The directory part of `path` (`.` when there is none).
    private static func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    /// Makes the rename durable; best effort, since some file systems refuse fsync on directories.
    private static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = close(fd)
    }
}
