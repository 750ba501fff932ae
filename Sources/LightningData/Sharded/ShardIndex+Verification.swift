#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Checksums

extension ShardIndex {
    /// Reads and parses `directory/index.json`, throwing every problem it has.
    public static func read(directory: String) throws -> ShardIndex {
        let path = directory + "/" + fileName
        let bytes: [UInt8]
        do {
            bytes = try readFileBytes(path)
        } catch let error as DataError {
            throw ShardedDatasetError(directory: directory, problems: ["\(path): cannot read the index: \(error.message)"])
        }
        return try parse(bytes, file: path, directory: directory)
    }

    /// Every disagreement between the index and the files in `directory`: a missing or
    /// unreadable shard file, a size that differs, and with `checksums` a CRC-32C that differs or
    /// a file whose arrays do not have the rows, shapes or dtypes the index gives.
    ///
    /// Sizes cost one `stat` per file. Checksums read every byte of every shard (every rank on
    /// every node does, at open), which for a very large dataset is slow; skip them there and
    /// rely on the sizes and on each file's header, checked when the shard is first mapped.
    public func problems(directory: String, checksums: Bool) -> [String] {
        var problems: [String] = []
        for (s, shard) in shards.enumerated() {
            var intact = true
            for file in shard.files {
                let path = directory + "/" + file.name
                var info = stat()
                guard stat(path, &info) == 0 else {
                    problems.append("\(path): shard \(s) is missing (\(String(cString: strerror(errno))))")
                    intact = false
                    continue
                }
                guard (info.st_mode & S_IFMT) == S_IFREG else {
                    problems.append("\(path): shard \(s) is not a regular file")
                    intact = false
                    continue
                }
                if Int(info.st_size) != file.byteCount {
                    problems.append("\(path): shard \(s) has \(info.st_size) bytes, the index says \(file.byteCount)")
                    intact = false
                    continue
                }
                guard checksums else { continue }
                do {
                    let mapped = try MappedFile(path: path)
                    let crc = CRC32C.checksum(mapped.bytes)
                    if crc != file.crc32c {
                        problems.append("\(path): shard \(s) has CRC-32C \(crcText(crc)), the index says \(crcText(file.crc32c)) (the file changed or is damaged)")
                        intact = false
                    }
                } catch {
                    problems.append("\(path): shard \(s) cannot be read: \(error)")
                    intact = false
                }
            }
            // The headers are worth checking only in files whose bytes are the ones indexed.
            if checksums && intact {
                do {
                    _ = try mapShard(s, directory: directory)
                } catch let error as ShardedDatasetError {
                    problems += error.problems
                } catch {
                    problems.append("\(directory): shard \(s): \(error)")
                }
            }
        }
        return problems
    }

    /// Maps shard `s`'s files and returns one array per column, in column order, after checking
    /// each has the shard's sample count, the column's sample shape and its dtype.
    func mapShard(_ s: Int, directory: String) throws -> [MappedArray] {
        let shard = shards[s]
        var arrays: [MappedArray] = []
        switch fileFormat {
        case .npy:
            for file in shard.files { arrays.append(try NPY.map(path: directory + "/" + file.name)) }
        case .safetensors:
            guard let file = shard.files.first else { break }
            arrays = try mapSafetensorsColumns(directory + "/" + file.name, names: columns.map(\.name))
        }
        var problems: [String] = []
        if arrays.count != columns.count {
            problems.append("\(directory): shard \(s) has \(arrays.count) arrays, the index lists \(columns.count)")
        }
        for (array, column) in zip(arrays, columns) {
            let path = array.file.path
            if array.rowCount != shard.sampleCount {
                problems.append("\(path): '\(column.name)' has \(array.rowCount) rows, the index says shard \(s) holds \(shard.sampleCount) samples")
            }
            if array.rowShape != column.sampleShape {
                problems.append("\(path): '\(column.name)' rows have shape \(array.rowShape), the index says \(column.sampleShape)")
            }
            if array.dtype != column.dtype {
                problems.append("\(path): '\(column.name)' is stored as \(array.dtype), the index says \(column.dtype)")
            }
        }
        if !problems.isEmpty { throw ShardedDatasetError(directory: directory, problems: problems) }
        return arrays
    }
}

/// `0x1a2b3c4d`.
private func crcText(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
