import Checksums
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Encodes tensors and a metadata map as safetensors bytes or files, byte for byte as the
/// reference writer (huggingface/safetensors) does for the same metadata.
public enum SafetensorsWriter {
    /// `tensors` in the order the reference writer stores them: descending element size (so with
    /// an 8-aligned header every tensor is aligned to its element size), then name byte-wise.
    public static func dataOrder<T: SafetensorsEncodable>(_ tensors: [String: T]) -> [(name: String, tensor: T)] {
        tensors.sorted { a, b in
            let sa = a.value.safetensorsDType.byteSize, sb = b.value.safetensorsDType.byteSize
            if sa != sb { return sa > sb }
            return a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }.map { ($0.key, $0.value) }
    }

    /// The bytes of a safetensors file holding `tensors` and `metadata`; with `checksums`, the
    /// CRC-32C of each tensor's bytes under ``SafetensorsHeader/checksumKey``, which readers verify.
    ///
    /// Throws for a tensor named `__metadata__`, a negative dimension, or a tensor whose bytes do
    /// not match its shape and element type.
    public static func encode<T: SafetensorsEncodable>(_ tensors: [String: T], metadata: [String: String] = [:],
                                                       checksums: Bool = false) throws -> [UInt8] {
        let order = dataOrder(tensors)
        let header = try SafetensorsHeader.encode(order.map { ($0.name, $0.tensor.safetensorsDType, $0.tensor.shape) },
                                                  metadata: headerMetadata(metadata, order: order, checksums: checksums))
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + order.reduce(0) { $0 + byteCount(of: $1.tensor) })
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for (name, tensor) in order {
            try withCheckedBytes(of: tensor, named: name) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// The bytes before the data of a file holding one tensor `name` of `dtype` and `shape` and
    /// `metadata` (no checksums): the 8-byte header length and the header. A writer that fills the
    /// data itself (row-major, right after these bytes) writes the file ``encode(_:metadata:checksums:)``
    /// would for that tensor.
    public static func prefix(name: String, dtype: SafetensorsDType, shape: [Int], metadata: [String: String] = [:]) throws -> [UInt8] {
        var cleaned = metadata
        cleaned[SafetensorsHeader.checksumKey] = nil
        let header = try SafetensorsHeader.encode([(name, dtype, shape)], metadata: cleaned)
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        return out + header
    }

    /// Writes `tensors` and `metadata` to `path` atomically; with `checksums`, the CRC-32C of each
    /// tensor's bytes under ``SafetensorsHeader/checksumKey``, which readers verify.
    ///
    /// The file is written under a temporary name in the same directory, fsynced, then renamed over
    /// `path` (and the directory fsynced), so a crash or a concurrent reader never sees a partial file.
    public static func write<T: SafetensorsEncodable>(_ tensors: [String: T], metadata: [String: String] = [:],
                                                      checksums: Bool = false, to path: String) throws {
        let order = dataOrder(tensors)
        let entries = order.map { ($0.name, $0.tensor.safetensorsDType, $0.tensor.shape) }
        // With checksums, a header of the final length goes first (every checksum is 8 hex digits,
        // so zeros stand in for them) and the real one over it once the checksums are known:
        // another thread computes them while this one writes the data, instead of before.
        var placeholder = metadata
        placeholder[SafetensorsHeader.checksumKey] = nil
        if checksums {
            placeholder[SafetensorsHeader.checksumKey] = SafetensorsHeader.checksumMetadata(
                Dictionary(uniqueKeysWithValues: order.map { ($0.name, UInt32(0)) }))
        }
        let header: [UInt8]
        do {
            header = try SafetensorsHeader.encode(entries, metadata: placeholder)
        } catch let error as SafetensorsError {
            throw error.inFile(path)
        }
        let directory = directoryOf(path)
        let baseName = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        let temporary = "\(directory)/.\(baseName).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let file = try SafetensorsFileHandle(creatingExclusively: temporary)
        do {
            try withUnsafeBytes(of: UInt64(header.count).littleEndian) { try file.write($0) }
            try header.withUnsafeBytes { try file.write($0) }
            var crcs: [String: UInt32] = [:]
            let writeData = {
                for (name, tensor) in order {
                    try withCheckedBytes(of: tensor, named: name) { try file.write($0) }
                }
            }
            if checksums {
                // Tensors are only read while both threads run; `crcs` is read after the join.
                try concurrently({
                    for (name, tensor) in order { crcs[name] = tensor.withSafetensorsBytes { CRC32C.checksum($0) } }
                }, while: writeData)
                var final = metadata
                final[SafetensorsHeader.checksumKey] = SafetensorsHeader.checksumMetadata(crcs)
                let checked = try SafetensorsHeader.encode(entries, metadata: final)
                precondition(checked.count == header.count, "SafetensorsWriter: the checksums changed the header's length")
                try checked.withUnsafeBytes { try file.write($0, at: 8) }
            } else {
                try writeData()
            }
            try file.sync()
            file.close()
        } catch var error as SafetensorsError {
            file.close()
            unlink(temporary)
            error.path = error.path ?? path
            throw error
        }
        if rename(temporary, path) != 0 {
            let error = SafetensorsFileHandle.systemError("rename", path: path)
            unlink(temporary)
            throw error
        }
        syncDirectory(directory)
    }

    /// `metadata` as the header stores it: ``SafetensorsHeader/checksumKey`` set to the checksums
    /// of `order`'s bytes with `checksums`, removed without (a value passed in, as from a file read
    /// earlier, may not match these tensors and would make the file unreadable).
    private static func headerMetadata<T: SafetensorsEncodable>(_ metadata: [String: String], order: [(name: String, tensor: T)],
                                                                checksums: Bool) throws -> [String: String] {
        var metadata = metadata
        metadata[SafetensorsHeader.checksumKey] = nil
        guard checksums else { return metadata }
        var crcs: [String: UInt32] = [:]
        crcs.reserveCapacity(order.count)
        for (name, tensor) in order {
            try withCheckedBytes(of: tensor, named: name) { crcs[name] = CRC32C.checksum($0) }
        }
        metadata[SafetensorsHeader.checksumKey] = SafetensorsHeader.checksumMetadata(crcs)
        return metadata
    }

    /// The bytes the header promises for `tensor`.
    private static func byteCount<T: SafetensorsEncodable>(of tensor: T) -> Int {
        tensor.shape.reduce(1, *) * tensor.safetensorsDType.byteSize
    }

    /// Calls `body` with `tensor`'s bytes, after checking they are as many as the header promised.
    private static func withCheckedBytes<T: SafetensorsEncodable>(of tensor: T, named name: String,
                                                                   _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try tensor.withSafetensorsBytes { bytes in
            let expected = byteCount(of: tensor)
            if bytes.count != expected {
                throw SafetensorsError(.byteCountMismatch(expected: expected, actual: bytes.count), tensor: name)
            }
            try body(bytes)
        }
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
