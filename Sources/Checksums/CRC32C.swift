import CCRC32C

/// CRC-32C (Castagnoli, polynomial 0x1EDC6F41 reflected as 0x82F63B78), the checksum iSCSI, ext4
/// and Google's crc32c package compute: `CRC32C.checksum("123456789")` is `0xE3069283`.
///
/// The one implementation the package uses (safetensors checksums, TFRecord framing). On x86-64
/// with SSE4.2 it runs the processor's `crc32` instruction over three independent stretches of
/// a long buffer at once (the instruction's latency is three cycles, its throughput one); elsewhere
/// table-driven slicing-by-8, also three stretches at once. The stretches are joined by the CRC's
/// linearity: the register after A‖B is (register after A) · x^(8|B|) mod P ⊕ (register after B
/// from 0).
public enum CRC32C {
    /// The CRC-32C of `bytes`; pass a previous result as `crc` to continue over a further chunk
    /// (`checksum(b, continuing: checksum(a))` equals the checksum of `a` followed by `b`).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        hardware ? hardwareChecksum(bytes, continuing: crc) : softwareChecksum(bytes, continuing: crc)
    }

    /// The CRC-32C of `bytes`, rotated and offset as TFRecord stores it: masking keeps a CRC
    /// stored next to the data it covers from looking like data whose CRC is trivially
    /// predictable (TensorFlow's `crc32c::Mask`).
    public static func masked<C: Collection<UInt8>>(_ bytes: C) -> UInt32 {
        let crc = checksum(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }

    /// Whether the processor's instruction is used (cpuid, asked once).
    package static let hardware = ccrc32c_hardware_available() != 0

    /// With the processor's instruction (only when ``hardware``).
    package static func hardwareChecksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard var p = bytes.baseAddress, !bytes.isEmpty else { return crc }
        var remaining = bytes.count
        var state = ~crc
        let lane = remaining / 24 * 8
        if lane >= hardwareMinimumLane {
            var states: [UInt32] = [state, 0, 0]
            ccrc32c_hardware_update3(&states, p, lane)
            let shift = xPower8n(lane)
            state = multiplyModP(shift, multiplyModP(shift, states[0]) ^ states[1]) ^ states[2]
            p += 3 * lane; remaining -= 3 * lane
        }
        return ~ccrc32c_hardware_update(state, p, remaining)
    }

    /// Below this many bytes per stretch, joining three stretches costs more than their overlap saves.
    private static let hardwareMinimumLane = 4096

    /// Table-driven, in plain Swift: where the processor has no instruction, and as the
    /// reference the instruction's results are tested against.
    package static func softwareChecksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard var p = bytes.baseAddress, !bytes.isEmpty else { return crc }
        var remaining = bytes.count
        var c = ~crc
        return tables.withUnsafeBufferPointer { t in
            // Byte at a time until 8-aligned, so the word loads below are aligned.
            while remaining > 0 && Int(bitPattern: p) & 7 != 0 {
                c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                p += 1; remaining -= 1
            }
            let lane = remaining / 24 * 8
            if lane >= minimumLane {
                // Registers of the 2nd and 3rd stretch start at 0: the register after A‖B is
                // (register after A) · x^(8|B|) mod P ⊕ (register after B from 0).
                var c1: UInt32 = 0, c2: UInt32 = 0
                var q = p
                for _ in 0..<(lane / 8) {
                    c = step(c, q.load(as: UInt64.self), t)
                    c1 = step(c1, q.load(fromByteOffset: lane, as: UInt64.self), t)
                    c2 = step(c2, q.load(fromByteOffset: 2 * lane, as: UInt64.self), t)
                    q += 8
                }
                let shift = xPower8n(lane)
                c = multiplyModP(shift, multiplyModP(shift, c) ^ c1) ^ c2
                p += 3 * lane; remaining -= 3 * lane
            }
            while remaining >= 8 {
                c = step(c, p.load(as: UInt64.self), t)
                p += 8; remaining -= 8
            }
            while remaining > 0 {
                c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                p += 1; remaining -= 1
            }
            return ~c
        }
    }

    /// The CRC-32C of `a` followed by `b`, from the CRC-32C of each and `b`'s length in bytes
    /// (zlib's `crc32_combine`): lets separate threads checksum the parts of one buffer.
    public static func combine(_ crcA: UInt32, _ crcB: UInt32, lengthB: Int) -> UInt32 {
        multiplyModP(xPower8n(lengthB), crcA) ^ crcB
    }

    /// The CRC-32C of `bytes`, its two halves on two threads when it is long enough for a
    /// thread's start to be worth it (a reader verifying a large tensor waits half as long).
    public static func parallelChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard bytes.count >= parallelMinimum else { return checksum(bytes) }
        let half = bytes.count / 2
        var second: UInt32 = 0
        let first = concurrently({ second = checksum(UnsafeRawBufferPointer(rebasing: bytes[half...])) },
                                 while: { checksum(UnsafeRawBufferPointer(rebasing: bytes[..<half])) })
        return combine(first, second, lengthB: bytes.count - half)
    }

    /// Below this, ``parallelChecksum(_:)`` stays on one thread: starting one costs tens of
    /// microseconds, checksumming a megabyte a few hundred.
    private static let parallelMinimum = 4 << 20

    /// The CRC-32C of `bytes`.
    public static func checksum<C: Collection<UInt8>>(_ bytes: C) -> UInt32 {
        Array(bytes).withUnsafeBytes { checksum($0) }
    }

    /// Below this many bytes per stretch, joining the stretches (a few hundred bit operations)
    /// costs more than the parallel lookups save.
    private static let minimumLane = 2048

    /// The register after feeding the 8 little-endian bytes of `word` to register `c`.
    @inline(__always)
    private static func step(_ c: UInt32, _ word: UInt64, _ t: UnsafeBufferPointer<UInt32>) -> UInt32 {
        let w = UInt64(littleEndian: word) ^ UInt64(c)
        return t[7 * 256 + Int(w & 0xFF)] ^ t[6 * 256 + Int((w >> 8) & 0xFF)]
            ^ t[5 * 256 + Int((w >> 16) & 0xFF)] ^ t[4 * 256 + Int((w >> 24) & 0xFF)]
            ^ t[3 * 256 + Int((w >> 32) & 0xFF)] ^ t[2 * 256 + Int((w >> 40) & 0xFF)]
            ^ t[1 * 256 + Int((w >> 48) & 0xFF)] ^ t[Int(w >> 56)]
    }

    /// `a · b mod P` for polynomials in the CRC's reflected bit order (x^0 is bit 31); `a` must
    /// not be 0 (zlib's `multmodp`).
    private static func multiplyModP(_ a: UInt32, _ b: UInt32) -> UInt32 {
        var m: UInt32 = 1 << 31, product: UInt32 = 0, b = b
        while true {
            if a & m != 0 {
                product ^= b
                if a & (m &- 1) == 0 { return product }
            }
            m >>= 1
            b = b & 1 != 0 ? (b >> 1) ^ polynomial : b >> 1
        }
    }

    /// x^(8n) mod P: what multiplying a register by shifts it past n zero bytes.
    private static func xPower8n(_ n: Int) -> UInt32 {
        var p: UInt32 = 1 << 31, n = n, k = 3
        while n != 0 {
            if n & 1 != 0 { p = multiplyModP(xPowers[k & 31], p) }
            n >>= 1; k += 1
        }
        return p
    }

    /// The reflected CRC-32C polynomial.
    private static let polynomial: UInt32 = 0x82F6_3B78

    /// x^(2^k) mod P for k in 0..<32.
    private static let xPowers: [UInt32] = {
        var p: UInt32 = 1 << 30
        var powers = [p]
        for _ in 1..<32 { p = multiplyModP(p, p); powers.append(p) }
        return powers
    }()

    /// Table k at `[k * 256 ..< (k + 1) * 256]`: entry b is the CRC register after feeding byte b
    /// followed by k zero bytes, so eight lookups advance the register by a whole word.
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for b in 0..<256 {
            var c = UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ polynomial : c >> 1 }
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
