import Synchronization

/// A count that several threads bump and a test reads (a data loader's workers, say).
public final class SharedCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// A counter at zero.
    public init() {}

    /// Adds one.
    public func bump() { count.add(1, ordering: .relaxed) }

    /// The count so far.
    public var value: Int { count.load(ordering: .relaxed) }
}
