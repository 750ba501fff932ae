/// CRC-32C (Castagnoli, polynomial 0x1EDC6F41 reflected as 0x82F63B78), the checksum iSCSI, ext4
/// and Google's crc32c package compute: `CRC32C.checksum("123456789")` is `0xE3069283`.
///
/// Table-driven slicing-by-8 in plain Swift (the codec links nothing but libc): eight table
/// lookups per 8-byte word, which keeps a checkpoint's checksums a small fraction of the time it
/// takes to write the file.
public enum CRC32C {
    /// The CRC-32C of `bytes`; pass a previous result as `crc` to continue over a further chunk
    /// (`checksum(b, continuing: checksum(a))` equals the checksum of `a` followed by `b`).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard var p = bytes.baseAddress, !bytes.isEmpty else { return crc }
        var remaining = bytes.count
        var c = ~crc
        return tables.withUnsafeBufferPointer { t in
            // Byte at a time until 8-aligned, so the word loads below are aligned (faster on
            // every x86 and required for speed on some ARM cores).
            while remaining > 0 && Int(bitPattern: p) & 7 != 0 {
                c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                p += 1; remaining -= 1
            }
            while remaining >= 8 {
                let word = UInt64(littleEndian: p.load(as: UInt64.self)) ^ UInt64(c)
                c = t[7 * 256 + Int(word & 0xFF)] ^ t[6 * 256 + Int((word >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((word >> 16) & 0xFF)] ^ t[4 * 256 + Int((word >> 24) & 0xFF)]
                    ^ t[3 * 256 + Int((word >> 32) & 0xFF)] ^ t[2 * 256 + Int((word >> 40) & 0xFF)]
                    ^ t[1 * 256 + Int((word >> 48) & 0xFF)] ^ t[Int(word >> 56)]
                p += 8; remaining -= 8
            }
            while remaining > 0 {
                c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                p += 1; remaining -= 1
            }
            return ~c
        }
    }

    /// The CRC-32C of `bytes`.
    public static func checksum<C: Collection<UInt8>>(_ bytes: C) -> UInt32 {
        Array(bytes).withUnsafeBytes { checksum($0) }
    }

    /// Table k at `[k * 256 ..< (k + 1) * 256]`: entry b is the CRC register after feeding byte b
    /// followed by k zero bytes, so eight lookups advance the register by a whole word.
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for b in 0..<256 {
            var c = UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[b] = c
        }
        for k in 1..<8 {
            for b in 0..<256 {
                let previous = t[(k - 1) * 256 + b]
                t[k * 256 + b] = t[Int(previous & 0xFF)] ^ (previous >> 8)
            }
        }
        return t
    }()
}
