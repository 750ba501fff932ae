/// A whole safetensors file as values: its tensors (bytes, dtypes, shapes) and metadata map.
///
/// The codec on its own, for tools that move tensors between files without a tensor library;
/// LightningTensor reads the same files into `Tensor`s.
public struct SafetensorsArchive: Equatable, Sendable {
    /// Tensor names in the order their bytes appear in the file.
    public var names: [String]
    /// The tensors by name.
    public var tensors: [String: SafetensorsTensor]
    /// The `__metadata__` map (empty when the file has none).
    public var metadata: [String: String]

    /// An archive of `tensors`, named in the order a written file will hold them.
    public init(tensors: [String: SafetensorsTensor], metadata: [String: String] = [:]) {
        self.names = SafetensorsWriter.dataOrder(tensors).map(\.name)
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor named `name`, if present.
    public subscript(name: String) -> SafetensorsTensor? { tensors[name] }

    /// Decodes a whole file held in memory; throws ``SafetensorsError`` for anything malformed.
    public static func decode(bytes: [UInt8]) throws -> SafetensorsArchive {
        try bytes.withUnsafeBytes { file in
            let header = try SafetensorsHeader(file: file)
            var archive = SafetensorsArchive(tensors: [:], metadata: header.metadata)
            for entry in header.entries {
                let range = (header.dataStart + entry.dataOffsets.lowerBound)..<(header.dataStart + entry.dataOffsets.upperBound)
                try header.verify(entry, bytes: UnsafeRawBufferPointer(rebasing: file[range]))
                archive.tensors[entry.name] = try SafetensorsTensor(dtype: entry.dtype, shape: entry.shape, bytes: Array(file[range]))
            }
            archive.names = header.entries.map(\.name)
            return archive
        }
    }

    /// Reads the file at `path`; errors name the file (and the tensor, where one is concerned).
    public static func read(path: String) throws -> SafetensorsArchive {
        let reader = try SafetensorsReader(path: path)
        var archive = SafetensorsArchive(tensors: [:], metadata: reader.header.metadata)
        for (name, tensor) in try reader.readAll() { archive.tensors[name] = tensor }
        archive.names = reader.header.entries.map(\.name)
        return archive
    }

    /// The file's bytes (the reference writer's layout); `checksums` as in ``SafetensorsWriter``.
    public func encoded(checksums: Bool = false) throws -> [UInt8] {
        try SafetensorsWriter.encode(tensors, metadata: metadata, checksums: checksums)
    }

    /// Writes the file to `path` atomically; `checksums` as in ``SafetensorsWriter``.
    public func write(to path: String, checksums: Bool = false) throws {
        try SafetensorsWriter.write(tensors, metadata: metadata, checksums: checksums, to: path)
    }
}
