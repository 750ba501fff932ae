import Foundation

extension ShardIndex {
    /// The index as JSON text (keys sorted, so the same dataset always gives the same bytes).
    public func jsonText() -> String {
        let object: [String: Any] = [
            "format": Self.formatName,
            "version": Self.currentVersion,
            "file_format": fileFormat.rawValue,
            "arrays": columns.map { ["name": $0.name, "dtype": $0.dtype.rawValue, "sample_shape": $0.sampleShape] as [String: Any] },
            "shards": shards.map { shard in
                ["samples": shard.sampleCount,
                 "files": shard.files.map { ["name": $0.name, "bytes": $0.byteCount, "crc32c": Int($0.crc32c)] as [String: Any] }] as [String: Any]
            },
        ]
        // Every value above is a string, a number or an array or dictionary of them.
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Parses index JSON, collecting every problem (each prefixed with `file`) rather than
    /// stopping at the first, and throws them together as a ``ShardedDatasetError`` for `directory`.
    public static func parse(_ bytes: [UInt8], file: String, directory: String) throws -> ShardIndex {
        var problems: [String] = []
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                throw ShardedDatasetError(directory: directory, problems: ["\(file): not a JSON object"])
            }
            root = object
        } catch let error as ShardedDatasetError {
            throw error
        } catch {
            throw ShardedDatasetError(directory: directory, problems: ["\(file): does not parse as JSON (\(error.localizedDescription))"])
        }
        func problem(_ text: String) { problems.append("\(file): \(text)") }

        if root["format"] as? String != formatName {
            problem("\"format\" is \(describe(root["format"])), expected \"\(formatName)\"")
        }
        if let version = root["version"] as? Int {
            if version != currentVersion { problem("\"version\" is \(version); this program reads version \(currentVersion)") }
        } else {
            problem("\"version\" is \(describe(root["version"])), expected \(currentVersion)")
        }
        let format = (root["file_format"] as? String).flatMap(FileFormat.init(rawValue:))
        if format == nil {
            problem("\"file_format\" is \(describe(root["file_format"])), expected one of \(FileFormat.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
        }
        var columns: [Column] = []
        if let entries = root["arrays"] as? [Any], !entries.isEmpty {
            for (i, entry) in entries.enumerated() {
                guard let column = entry as? [String: Any] else { problem("arrays[\(i)] is not an object"); continue }
                let name = column["name"] as? String
                if name == nil || name!.isEmpty { problem("arrays[\(i)].name is \(describe(column["name"])), expected a non-empty string") }
                let dtype = (column["dtype"] as? String).flatMap(DType.init(rawValue:))
                if dtype == nil { problem("arrays[\(i)].dtype is \(describe(column["dtype"])), expected \"float32\" or \"int64\"") }
                let shape = column["sample_shape"] as? [Int]
                if shape == nil || shape!.contains(where: { $0 < 0 }) {
                    problem("arrays[\(i)].sample_shape is \(describe(column["sample_shape"])), expected a list of sizes >= 0")
                }
                if let name, let dtype, let shape { columns.append(Column(name: name, dtype: dtype, sampleShape: shape)) }
            }
            let names = columns.map(\.name)
            if Set(names).count != names.count { problem("arrays has repeated names: \(names)") }
        } else {
            problem("\"arrays\" is \(describe(root["arrays"])), expected a non-empty list of arrays")
        }
        var shards: [Shard] = []
        if let entries = root["shards"] as? [Any], !entries.isEmpty {
            let filesPerShard = format == .safetensors ? 1 : columns.count
            for (s, entry) in entries.enumerated() {
                guard let shard = entry as? [String: Any] else { problem("shards[\(s)] is not an object"); continue }
                let samples = shard["samples"] as? Int
                if samples == nil || samples! < 1 { problem("shards[\(s)].samples is \(describe(shard["samples"])), expected a count >= 1") }
                var files: [File] = []
                if let list = shard["files"] as? [Any] {
                    if list.count != filesPerShard, format != nil, !columns.isEmpty {
                        problem("shards[\(s)] lists \(list.count) files, expected \(filesPerShard) for \(format!.rawValue) shards of \(columns.count) arrays")
                    }
                    for (f, item) in list.enumerated() {
                        let file = item as? [String: Any]
                        let name = file?["name"] as? String, bytes = file?["bytes"] as? Int, crc = file?["crc32c"] as? Int
                        guard let name, !name.isEmpty, !name.contains("/"), let bytes, bytes >= 0, let crc, crc >= 0, crc <= Int(UInt32.max) else {
                            problem("shards[\(s)].files[\(f)] is \(describe(item)), expected {\"name\": a file name in the directory, \"bytes\": a size, \"crc32c\": a 32-bit checksum}")
                            continue
                        }
                        files.append(File(name: name, byteCount: bytes, crc32c: UInt32(crc)))
                    }
                } else {
                    problem("shards[\(s)].files is \(describe(shard["files"])), expected a list of files")
                }
                if let samples { shards.append(Shard(sampleCount: samples, files: files)) }
            }
        } else {
            problem("\"shards\" is \(describe(root["shards"])), expected a non-empty list of shards")
        }
        guard problems.isEmpty, let format else { throw ShardedDatasetError(directory: directory, problems: problems) }
        return ShardIndex(fileFormat: format, columns: columns, shards: shards)
    }

    /// A JSON value as an error message shows it (`missing` when absent).
    private static func describe(_ value: Any?) -> String {
        guard let value else { return "missing" }
        if let string = value as? String { return "\"\(string)\"" }
        if value is NSNull { return "null" }
        return "\(value)"
    }
}
