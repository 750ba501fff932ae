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

    /// Reads `entry`'s bytes into `destination`, which must be exactly `entry.dataOffsets.count` long,
    /// and verifies them against the checksum the file records for `entry`, if any.
    public func read(_ entry: SafetensorsHeader.Entry, into destination: UnsafeMutableRawBufferPointer) throws {
        precondition(destination.count == entry.dataOffsets.count,
                     "SafetensorsReader.read: \(destination.count) bytes of room for the \(entry.dataOffsets.count) bytes of '\(entry.name)'")
        do {
            _ = try file.read(into: destination, at: header.dataStart + entry.dataOffsets.lowerBound)
            try header.verify(entry, bytes: UnsafeRawBufferPointer(destination))
        } catch var error as SafetensorsError {
            error.tensor = entry.name
            throw error.inFile(path)
        }
    }

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
