import Safetensors

extension Safetensors {
    /// Decodes a whole safetensors file held in memory.
    ///
    /// Throws ``SafetensorsError`` for anything malformed; never traps on bad input.
    public static func decode(bytes: [UInt8]) throws -> SafetensorsFile {
        try bytes.withUnsafeBytes { try decode(buffer: $0) }
    }

    /// Decodes a whole safetensors file from raw memory (for callers holding a mapped file).
    public static func decode(buffer: UnsafeRawBufferPointer) throws -> SafetensorsFile {
        let header = try SafetensorsHeader(file: buffer)
        let data = UnsafeRawBufferPointer(rebasing: buffer[header.dataStart...])
        return try assemble(header) { entry in
            let bytes = UnsafeRawBufferPointer(rebasing: data[entry.dataOffsets])
            try header.verify(entry, bytes: bytes)
            return makeTensor(entry.dtype, shape: entry.shape, from: bytes)
        }
    }

    /// Reads the safetensors file at `path`.
    ///
    /// The header is validated before any tensor memory is allocated, and float32/int64 data is
    /// read straight into tensor storage (no second copy of the file in memory).
    public static func read(path: String) throws -> SafetensorsFile {
        let reader = try SafetensorsReader(path: path)
        return try assemble(reader.header) { entry in
            #if _endian(little)
            if entry.dtype == .f32 || entry.dtype == .i64 {
                let tensor = Tensor(uninitializedShape: entry.shape, dtype: entry.dtype.tensorDType)
                try reader.read(entry, into: UnsafeMutableRawBufferPointer(start: tensor.elementBase, count: entry.dataOffsets.count))
                return tensor
            }
            #endif
            return try reader.bytes(of: entry).withUnsafeBytes { makeTensor(entry.dtype, shape: entry.shape, from: $0) }
        }
    }

    /// Builds the result from a validated header, making each tensor with `make`.
    private static func assemble(_ header: SafetensorsHeader, make: (SafetensorsHeader.Entry) throws -> Tensor) rethrows -> SafetensorsFile {
        var tensors: [String: Tensor] = [:]
        var dtypes: [String: SafetensorsDType] = [:]
        tensors.reserveCapacity(header.entries.count)
        for entry in header.entries {
            tensors[entry.name] = try make(entry)
            dtypes[entry.name] = entry.dtype
        }
        return SafetensorsFile(names: header.entries.map(\.name), tensors: tensors,
                               metadata: header.metadata, storedDTypes: dtypes)
    }
}
