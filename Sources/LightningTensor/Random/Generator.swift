import Synchronization

/// A counter-based pseudo-random generator (Philox4x32-10) that yields the same numbers on
/// every platform for the same seed.
///
/// Its whole state is ``State`` `(seed, position)`: `position` counts the 32-bit words drawn so
/// far, so a checkpoint can store it and a resumed run continues the exact same stream.
///
/// A generator may be shared between threads (the DataLoader's prefetch thread runs dataset code
/// while the main thread runs Dropout): every draw holds an internal lock. Bulk operations
/// (`Tensor.rand`, `dropout`, `permutation`) take it once for all their numbers, so the lock
/// costs one uncontended acquisition per operation. Threads that draw concurrently from one
/// generator get disjoint parts of its stream, in an order that depends on scheduling; for
/// reproducible per-thread streams give each thread its own generator.
public final class Generator: Sendable {
    /// The process-wide default generator, used when an operation is not given one; seeded by
    /// `seedEverything`.
    public static let `default` = Generator(seed: 0)

    private let stream: Mutex<PhiloxStream>

    /// A generator with the given seed at position 0.
    public init(seed: UInt64) {
        stream = Mutex(PhiloxStream(seed: seed))
    }

    /// Runs `body` with the stream locked, for many draws under one lock acquisition.
    @inline(__always)
    package func withStream<R>(_ body: (inout PhiloxStream) throws -> R) rethrows -> R {
        try stream.withLock { try body(&$0) }
    }

    /// The seed (the Philox key).
    public var seed: UInt64 { withStream { $0.seed } }

    /// How many 32-bit words have been drawn since seeding.
    public var position: UInt64 {
        get { withStream { $0.position } }
        set { withStream { $0.position = newValue } }
    }

    /// Restarts the stream for `seed`.
    public func manualSeed(_ seed: UInt64) {
        withStream { $0 = PhiloxStream(seed: seed) }
    }

    /// The state to save in a checkpoint; setting it continues that stream exactly.
    public var state: State {
        get { withStream { State(seed: $0.seed, position: $0.position) } }
        set { withStream { $0 = PhiloxStream(seed: newValue.seed, position: newValue.position) } }
    }

    /// The next 32 random bits.
    public func nextUInt32() -> UInt32 { withStream { $0.nextUInt32() } }

    /// The next 64 random bits.
    public func nextUInt64() -> UInt64 { withStream { $0.nextUInt64() } }

    /// A float uniformly distributed in `[0, 1)` with 24 random bits.
    public func nextUniform() -> Float { withStream { $0.nextUniform() } }

    /// A double uniformly distributed in `[0, 1)` with 53 random bits.
    public func nextUniformDouble() -> Double { withStream { $0.nextUniformDouble() } }

    /// Two independent standard normal samples (Box–Muller on two uniforms).
    public func nextNormalPair() -> (Float, Float) { withStream { $0.nextNormalPair() } }

    /// An integer uniformly distributed in `low..<high` (without modulo bias).
    public func nextInt(in range: Range<Int64>) -> Int64 {
        usagePrecondition(!range.isEmpty, "Generator.nextInt: empty range \(range)")
        return withStream { $0.nextInt(in: range) }
    }

    /// A uniformly random permutation of `0..<n` (Fisher–Yates).
    public func permutation(_ n: Int) -> [Int] { withStream { $0.permutation(n) } }
}
