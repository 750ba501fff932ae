#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Checksums
import Foundation

/// Writes a directory of shards and its `index.json` (``ShardIndex``), atomically: everything is
/// written into a temporary directory beside the destination, each file fsynced, then the
/// directory is renamed into place and its parent fsynced. A run that fails or is killed leaves
/// at most a hidden `.NAME.partial-*` directory, never a `NAME` that looks complete.
public enum ShardWriter {
    /// Splits `columns` (equal row counts) into shards of `samplesPerShard` samples (the last
    /// may be shorter) stored as `format` in the new directory `directory`, which must not exist.
    ///
    /// Returns the index written. Throws a ``DataError`` naming the path for bad arguments or a
    /// failed write.
    @discardableResult
    public static func write(_ columns: [ShardColumn], to directory: String, samplesPerShard: Int,
                             format: ShardIndex.FileFormat) throws -> ShardIndex {
        let target = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        try check(columns, target: target, samplesPerShard: samplesPerShard)
        let parent = (target as NSString).deletingLastPathComponent
        let base = (target as NSString).lastPathComponent
        let partial = (parent.isEmpty ? "." : parent) + "/.\(base).partial-\(getpid())"
        try? FileManager.default.removeItem(atPath: partial)
        guard mkdir(partial, 0o755) == 0 else {
            throw DataError(.unreadable, file: partial, "cannot create the temporary directory: \(String(cString: strerror(errno)))")
        }
        do {
            let index = try writeShards(columns, into: partial, samplesPerShard: samplesPerShard, format: format)
            try writeDurably(Array(index.jsonText().utf8), to: partial + "/" + ShardIndex.fileName)
            try syncDirectory(partial)
            // rename(2) replaces an empty directory silently; `check` refused an existing one,
            // and this catches one created since.
            if FileManager.default.fileExists(atPath: target) {
                throw DataError(.unreadable, file: target, "already exists; choose a new output directory")
            }
            guard rename(partial, target) == 0 else {
                throw DataError(.unreadable, file: target, "cannot move the shards into place: \(String(cString: strerror(errno)))")
            }
            try syncDirectory(parent.isEmpty ? "." : parent)
            return index
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    private static func check(_ columns: [ShardColumn], target: String, samplesPerShard: Int) throws {
        guard let first = columns.first else { throw DataError(.mismatch, file: target, "no arrays to shard") }
        if samplesPerShard < 1 { throw DataError(.mismatch, file: target, "samples per shard must be at least 1 (got \(samplesPerShard))") }
        if first.rowCount == 0 { throw DataError(.mismatch, file: target, "the input has no samples") }
        for column in columns {
            if column.rowCount != first.rowCount {
                throw DataError(.mismatch, file: target, "'\(column.name)' has \(column.rowCount) samples but '\(first.name)' has \(first.rowCount)")
            }
            let allowed = column.name.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || $0 == "_" || $0 == "-" }
            if column.name.isEmpty || !allowed {
                throw DataError(.mismatch, file: target, "array name '\(column.name)' must be letters, digits, '_' or '-'")
            }
        }
        if Set(columns.map(\.name)).count != columns.count { throw DataError(.mismatch, file: target, "array names repeat: \(columns.map(\.name))") }
        if FileManager.default.fileExists(atPath: target) {
            throw DataError(.unreadable, file: target, "already exists; choose a new output directory")
        }
    }

    /// Writes every shard's files into `directory`; returns the index describing them.
    private static func writeShards(_ columns: [ShardColumn], into directory: String, samplesPerShard: Int,
                                    format: ShardIndex.FileFormat) throws -> ShardIndex {
        let total = columns[0].rowCount
        var shards: [ShardIndex.Shard] = []
        var described: [ShardIndex.Column] = []
        for (s, start) in stride(from: 0, to: total, by: samplesPerShard).enumerated() {
            let range = start..<min(total, start + samplesPerShard)
            let tensors = columns.map { $0.rows(range) }
            if s == 0 {
                described = zip(columns, tensors).map { ShardIndex.Column(name: $0.name, dtype: $1.dtype, sampleShape: Array($1.shape.dropFirst())) }
            }
            let stem = "shard-" + String(repeating: "0", count: max(0, 5 - String(s).count)) + String(s)
            var files: [ShardIndex.File] = []
            switch format {
            case .npy:
                for (column, tensor) in zip(columns, tensors) {
                    files.append(try writeFile(NPY.encode(tensor), name: "\(stem).\(column.name).npy", in: directory))
                }
            case .safetensors:
                var named: [String: Tensor] = [:]
                for (column, tensor) in zip(columns, tensors) { named[column.name] = tensor }
                let bytes: [UInt8]
                do {
                    bytes = try Safetensors.encode(named)
                } catch {
                    throw DataError(.unsupported, file: "\(directory)/\(stem).safetensors", "\(error)")
                }
                files.append(try writeFile(bytes, name: "\(stem).safetensors", in: directory))
            }
            shards.append(ShardIndex.Shard(sampleCount: range.count, files: files))
        }
        return ShardIndex(fileFormat: format, columns: described, shards: shards)
    }

    /// Writes one shard file durably and describes it for the index.
    private static func writeFile(_ bytes: [UInt8], name: String, in directory: String) throws -> ShardIndex.File {
        try writeDurably(bytes, to: directory + "/" + name)
        return ShardIndex.File(name: name, byteCount: bytes.count, crc32c: bytes.withUnsafeBytes { CRC32C.checksum($0) })
    }

    /// Writes `bytes` to a new file at `path` and fsyncs it.
    private static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw DataError(.unreadable, file: path, "cannot create: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        try bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw DataError(.unreadable, file: path, at: .byteOffset(written), "write failed: \(String(cString: strerror(errno)))")
                }
                written += n
            }
        }
        guard fsync(fd) == 0 else { throw DataError(.unreadable, file: path, "fsync failed: \(String(cString: strerror(errno)))") }
    }

    /// Flushes a directory's entries (new names, a rename) to disk.
    private static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw DataError(.unreadable, file: path, "cannot open the directory: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw DataError(.unreadable, file: path, "fsync failed: \(String(cString: strerror(errno)))") }
    }
}
