import Foundation

/// The entries of a zip archive read from its central directory (zip64 included), for the
/// archives `torch.save` writes: every entry stored (not compressed). Offsets and sizes are
/// checked against the file; a compressed or encrypted entry is an error naming it.
struct ZipArchive {
    /// One stored entry: where its bytes lie in the file.
    struct Entry {
        /// The entry's name in the archive.
        let name: String
        /// The file offset of its first byte.
        let offset: Int
        /// Its size in bytes.
        let size: Int
    }

    /// The file's bytes (memory-mapped).
    let data: Data
    /// Entries by name, in central-directory order.
    let entries: [Entry]

    /// The local file header's first four bytes (`PK\u{3}\u{4}`), which every zip file starts with.
    static let magic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

    /// Reads the central directory of `data`.
    init(data: Data) throws {
        self.data = data
        let bytes = ByteView(data: data)
        let (count, directoryOffset, directorySize) = try Self.endOfCentralDirectory(bytes)
        guard directoryOffset >= 0, directorySize >= 0, directoryOffset <= data.count, directorySize <= data.count - directoryOffset else {
            throw TorchFormatError("zip central directory (offset \(directoryOffset), \(directorySize) bytes) lies outside the file of \(data.count) bytes")
        }
        guard count >= 0, count <= directorySize / 46 else {
            throw TorchFormatError("zip central directory claims \(count) entries in \(directorySize) bytes")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var position = directoryOffset
        for _ in 0..<count {
            let (entry, next) = try Self.entry(bytes, at: position, fileSize: data.count)
            entries.append(entry)
            position = next
        }
        self.entries = entries
    }

    /// The bytes of entry `entry`.
    func bytes(of entry: Entry) -> Data { data.subdata(in: entry.offset..<(entry.offset + entry.size)) }

    /// (entry count, central directory offset, central directory size), from the end records.
    private static func endOfCentralDirectory(_ bytes: ByteView) throws -> (Int, Int, Int) {
        let size = bytes.count
        guard size >= 22 else { throw TorchFormatError("too short for a zip archive (\(size) bytes)") }
        var end = -1
        var position = size - 22
        let lowest = max(0, size - 22 - 65_535)
        while position >= lowest {
            if try bytes.u32(position) == 0x0605_4B50 { end = position; break }
            position -= 1
        }
        guard end >= 0 else { throw TorchFormatError("no zip end-of-central-directory record (truncated, or not a zip archive)") }
        var count = Int(try bytes.u16(end + 10))
        var directorySize = Int(try bytes.u32(end + 12))
        var directoryOffset = Int(try bytes.u32(end + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            let locator = end - 20
            guard locator >= 0, try bytes.u32(locator) == 0x0706_4B50 else {
                throw TorchFormatError("zip64 end-of-central-directory locator missing")
            }
            let record = try bytes.int64(locator + 8)
            guard record >= 0, record <= size - 56, try bytes.u32(record) == 0x0606_4B50 else {
                throw TorchFormatError("zip64 end-of-central-directory record missing or outside the file")
            }
            count = try bytes.int64(record + 32)
            directorySize = try bytes.int64(record + 40)
            directoryOffset = try bytes.int64(record + 48)
        }
        return (count, directoryOffset, directorySize)
    }

    /// The central-directory entry at `position`, checked against its local header and the
    /// file; and the position of the next entry.
    private static func entry(_ bytes: ByteView, at position: Int, fileSize: Int) throws -> (Entry, Int) {
        guard try bytes.u32(position) == 0x0201_4B50 else {
            throw TorchFormatError("bad zip central-directory entry signature at offset \(position)")
        }
        let flags = try bytes.u16(position + 8)
        let method = try bytes.u16(position + 10)
        var compressedSize = Int(try bytes.u32(position + 20))
        var size = Int(try bytes.u32(position + 24))
        let nameLength = Int(try bytes.u16(position + 28))
        let extraLength = Int(try bytes.u16(position + 30))
        let commentLength = Int(try bytes.u16(position + 32))
        var localOffset = Int(try bytes.u32(position + 42))
        let nameBytes = try bytes.slice(position + 46, nameLength)
        let name = String(decoding: nameBytes, as: UTF8.self)
        if compressedSize == 0xFFFF_FFFF || size == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
            try readZip64Extra(bytes, at: position + 46 + nameLength, length: extraLength,
                               size: &size, compressedSize: &compressedSize, localOffset: &localOffset)
        }
        guard flags & 1 == 0 else { throw TorchFormatError("zip entry '\(name)' is encrypted") }
        guard method == 0 else {
            throw TorchFormatError("zip entry '\(name)' is compressed (method \(method)); only stored entries are read, as torch.save writes them (re-save the file with torch.save)")
        }
        guard compressedSize == size else {
            throw TorchFormatError("zip entry '\(name)' is stored but its sizes differ (\(compressedSize) and \(size))")
        }
        guard localOffset >= 0, localOffset <= fileSize - 30, try bytes.u32(localOffset) == 0x0403_4B50 else {
            throw TorchFormatError("zip entry '\(name)': local header at offset \(localOffset) is missing or outside the file")
        }
        let dataOffset = localOffset + 30 + Int(try bytes.u16(localOffset + 26)) + Int(try bytes.u16(localOffset + 28))
        guard size >= 0, dataOffset <= fileSize, size <= fileSize - dataOffset else {
            throw TorchFormatError("zip entry '\(name)' (\(size) bytes at offset \(dataOffset)) runs past the end of the file (\(fileSize) bytes; truncated?)")
        }
        return (Entry(name: name, offset: dataOffset, size: size), position + 46 + nameLength + extraLength + commentLength)
    }

    /// Fills the fields that are 0xFFFFFFFF from the entry's zip64 extra field, in zip order.
    private static func readZip64Extra(_ bytes: ByteView, at start: Int, length: Int,
                                       size: inout Int, compressedSize: inout Int, localOffset: inout Int) throws {
        var position = start
        while position + 4 <= start + length {
            let id = try bytes.u16(position)
            let fieldLength = Int(try bytes.u16(position + 2))
            var cursor = position + 4
            if id == 0x0001 {
                if size == 0xFFFF_FFFF { size = try bytes.int64(cursor); cursor += 8 }
                if compressedSize == 0xFFFF_FFFF { compressedSize = try bytes.int64(cursor); cursor += 8 }
                if localOffset == 0xFFFF_FFFF { localOffset = try bytes.int64(cursor) }
                return
            }
            position += 4 + fieldLength
        }
        throw TorchFormatError("zip64 entry without its zip64 extra field")
    }
}

/// Bounds-checked little-endian reads from a file's bytes.
struct ByteView {
    /// The bytes.
    let data: Data

    /// The number of bytes.
    var count: Int { data.count }

    /// `length` bytes from `offset`; throws when they run past the end.
    func slice(_ offset: Int, _ length: Int) throws -> Data {
        guard offset >= 0, length >= 0, offset <= data.count, length <= data.count - offset else {
            throw TorchFormatError("read of \(length) bytes at offset \(offset) runs past the end of the file (\(data.count) bytes)")
        }
        return data.subdata(in: (data.startIndex + offset)..<(data.startIndex + offset + length))
    }

    /// An unsigned integer of `width` bytes at `offset`.
    private func unsigned(_ offset: Int, _ width: Int) throws -> UInt64 {
        guard offset >= 0, offset <= data.count - width else {
            throw TorchFormatError("read of \(width) bytes at offset \(offset) runs past the end of the file (\(data.count) bytes)")
        }
        var value: UInt64 = 0
        for k in 0..<width { value |= UInt64(data[data.startIndex + offset + k]) << (8 * UInt64(k)) }
        return value
    }

    /// A 16-bit value.
    func u16(_ offset: Int) throws -> UInt16 { UInt16(try unsigned(offset, 2)) }
    /// A 32-bit value.
    func u32(_ offset: Int) throws -> UInt32 { UInt32(try unsigned(offset, 4)) }
    /// A 64-bit value that must fit a non-negative `Int`.
    func int64(_ offset: Int) throws -> Int {
        let value = try unsigned(offset, 8)
        guard value <= UInt64(Int.max) else { throw TorchFormatError("zip64 field at offset \(offset) is out of range") }
        return Int(value)
    }
}
