/// The Philox4x32-10 stream behind a ``Generator``: a value type, so a caller holding the
/// generator's lock draws many numbers with no further synchronization.
///
/// Its whole state is `(seed, position)`: `position` counts the 32-bit words drawn so far; the
/// current block is a cache keyed by the block index, so setting `position` needs no reset.
package struct PhiloxStream {
    /// The Philox key.
    package let seed: UInt64
    /// How many 32-bit words have been drawn since seeding.
    package var position: UInt64

    private var block: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    private var blockIndex: UInt64 = .max

    /// A stream for `seed` at `position`.
    package init(seed: UInt64, position: UInt64 = 0) {
        self.seed = seed
        self.position = position
    }

    /// The next 32 random bits.
    @inline(__always)
    package mutating func nextUInt32() -> UInt32 {
        let index = position >> 2
        if index != blockIndex {
            block = Self.philox(counter: index, key: seed)
            blockIndex = index
        }
        let lane = Int(position & 3)
        position &+= 1
        switch lane {
        case 0: return block.0
        case 1: return block.1
        case 2: return block.2
        default: return block.3
        }
    }

    /// The next 64 random bits.
    @inline(__always)
    package mutating func nextUInt64() -> UInt64 {
        UInt64(nextUInt32()) << 32 | UInt64(nextUInt32())
    }

    /// A float uniformly distributed in `[0, 1)` with 24 random bits.
    @inline(__always)
    package mutating func nextUniform() -> Float {
        Float(nextUInt32() >> 8) * (1.0 / 16_777_216.0)
    }

    /// A double uniformly distributed in `[0, 1)` with 53 random bits.
    @inline(__always)
    package mutating func nextUniformDouble() -> Double {
        Double(nextUInt64() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Two independent standard normal samples (Box–Muller on two uniforms).
    @inline(__always)
    package mutating func nextNormalPair() -> (Float, Float) {
        let u1 = 1.0 - nextUniformDouble()  // (0, 1]: log stays finite
        let u2 = nextUniformDouble()
        let r = (-2.0 * _log(u1)).squareRoot()
        let theta = 2.0 * Double.pi * u2
        return (Float(r * _cos(theta)), Float(r * _sin(theta)))
    }

    /// An integer uniformly distributed in `range` (without modulo bias); `range` is not empty.
    package mutating func nextInt(in range: Range<Int64>) -> Int64 {
        let span = UInt64(bitPattern: range.upperBound &- range.lowerBound)
        let limit = UInt64.max - (UInt64.max % span)
        var x = nextUInt64()
        while x >= limit { x = nextUInt64() }
        return range.lowerBound &+ Int64(bitPattern: x % span)
    }

    /// A uniformly random permutation of `0..<n` (Fisher–Yates).
    package mutating func permutation(_ n: Int) -> [Int] {
        var result = Array(0..<n)
        if n < 2 { return result }
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = Int(nextInt(in: 0..<Int64(i + 1)))
            result.swapAt(i, j)
        }
        return result
    }

    /// Philox4x32 with 10 rounds, counter `(counter, 0)` and key `seed`.
    @inline(__always)
    static func philox(counter: UInt64, key: UInt64) -> (UInt32, UInt32, UInt32, UInt32) {
        philoxBlock((UInt32(truncatingIfNeeded: counter), UInt32(truncatingIfNeeded: counter >> 32), 0, 0),
                    key: (UInt32(truncatingIfNeeded: key), UInt32(truncatingIfNeeded: key >> 32)))
    }

    /// The Philox4x32-10 bijection of Salmon et al. (Random123) on a full 128-bit counter.
    @inline(__always)
    static func philoxBlock(_ counter: (UInt32, UInt32, UInt32, UInt32), key: (UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
        var (c0, c1, c2, c3) = counter
        var (k0, k1) = key
        for _ in 0..<10 {
            let p0 = UInt64(0xD251_1F53) &* UInt64(c0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            let n0 = hi1 ^ c1 ^ k0
            let n2 = hi0 ^ c3 ^ k1
            c0 = n0; c1 = lo1; c2 = n2; c3 = lo0
            k0 &+= 0x9E37_79B9
            k1 &+= 0xBB67_AE85
        }
        return (c0, c1, c2, c3)
    }
}
