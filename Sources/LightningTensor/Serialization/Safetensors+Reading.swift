extension Safetensors {
    /// Decodes a whole safetensors file held in memory.
    ///
    /// Throws ``SafetensorsError`` for anything malformed; never traps on bad input.
    public static func decode(bytes: [UInt8]) throws -> SafetensorsFile {
        try bytes.withUnsafeBytes { try decode(buffer: $0) }
    }

    /// Decodes a whole safetensors file from raw memory (for callers holding a mapped file).
    public static func decode(buffer: UnsafeRawBufferPointer) throws -> SafetensorsFile {
        let headerLength = try validatedHeaderLength(lengthBytes: buffer, total: buffer.count)
        let header = try SafetensorsHeader.parse(
            UnsafeRawBufferPointer(rebasing: buffer[8..<(8 + headerLength)]),
            dataLength: buffer.count - 8 - headerLength)
        let data = UnsafeRawBufferPointer(rebasing: buffer[(8 + headerLength)...])
        return assemble(header) { entry in
            makeTensor(entry.dtype, shape: entry.shape, from: UnsafeRawBufferPointer(rebasing: data[entry.start..<entry.end]))
        }
    }

    /// Reads the safetensors file at `path`.
    ///
    /// The header is validated before any tensor memory is allocated, and float32/int64 data is
    /// read straight into tensor storage (no second copy of the file in memory).
    public static func read(path: String) throws -> SafetensorsFile {
        do {
            let file = try SafetensorsFileHandle(readingAt: path)
            defer { file.close() }
            let total = try file.size()
            var lengthBytes = [UInt8](repeating: 0, count: 8)
            let got = try lengthBytes.withUnsafeMutableBytes { try file.read(into: $0, at: 0, required: false) }
            let headerLength = try lengthBytes.withUnsafeBytes {
                try validatedHeaderLength(lengthBytes: UnsafeRawBufferPointer(rebasing: $0[0..<got]), total: total)
            }
            var headerBytes = [UInt8](repeating: 0, count: headerLength)
            _ = try headerBytes.withUnsafeMutableBytes { try file.read(into: $0, at: 8) }
            let header = try headerBytes.withUnsafeBytes {
                try SafetensorsHeader.parse($0, dataLength: total - 8 - headerLength)
            }
            let dataStart = 8 + headerLength
            return try assemble(header) { entry in
                try readTensor(entry, from: file, at: dataStart + entry.start)
            }
        } catch let error as SafetensorsError {
            throw error.inFile(path)
        }
    }

    /// Reads one entry's bytes from `file`, directly into the tensor when no conversion is needed.
    private static func readTensor(_ entry: SafetensorsHeader.Entry, from file: SafetensorsFileHandle, at position: Int) throws -> Tensor {
        let byteCount = entry.end - entry.start
        #if _endian(little)
        if entry.dtype == .f32 || entry.dtype == .i64 {
            let tensor = Tensor(uninitializedShape: entry.shape, dtype: entry.dtype.tensorDType)
            let destination = UnsafeMutableRawBufferPointer(start: tensor.storage.base + tensor.offset * tensor.dtype.byteSize, count: byteCount)
            do {
                _ = try file.read(into: destination, at: position)
            } catch var error as SafetensorsError {
                error.tensor = entry.name
                throw error
            }
            return tensor
        }
        #endif
        var raw = [UInt8](repeating: 0, count: byteCount)
        do {
            _ = try raw.withUnsafeMutableBytes { try file.read(into: $0, at: position) }
        } catch var error as SafetensorsError {
            error.tensor = entry.name
            throw error
        }
        return raw.withUnsafeBytes { makeTensor(entry.dtype, shape: entry.shape, from: $0) }
    }

    /// Reads and checks the 8-byte header length against `total`, the size of the whole file.
    private static func validatedHeaderLength(lengthBytes: UnsafeRawBufferPointer, total: Int) throws -> Int {
        guard lengthBytes.count >= 8, total >= 8 else { throw SafetensorsError(.fileTooSmall(byteCount: Swift.min(total, lengthBytes.count))) }
        let length = UInt64(littleEndian: lengthBytes.loadUnaligned(as: UInt64.self))
        if length > SafetensorsHeader.maxHeaderLength { throw SafetensorsError(.headerTooLarge(length: length)) }
        if length > UInt64(total - 8) { throw SafetensorsError(.headerPastEnd(length: length, available: total - 8)) }
        return Int(length)
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
