/// A group of processes, one rank each, that exchange data in collective operations.
///
/// As in MPI, every rank must call the same collectives in the same order with matching
/// element types (and matching counts where an operation says so). Calls on one communicator
/// must not overlap: use it from one thread at a time.
public protocol Communicator: Sendable {
    /// This process's index in the group, `0..<worldSize`.
    var rank: Int { get }
    /// The number of processes in the group.
    var worldSize: Int { get }
    /// This process's index among the group's processes on its node (it selects the local device).
    var localRank: Int { get }
    /// The number of the group's processes on this node.
    var localWorldSize: Int { get }

    /// Reduces `buffer` elementwise across ranks in place; every rank ends with the result.
    ///
    /// Every rank passes the same count. `.mean` needs floating-point elements.
    func allReduce<Element: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<Element>, op: ReduceOp)

    /// Starts ``allReduce(_:op:)`` on `buffer` and returns at once.
    ///
    /// `buffer` must stay allocated and untouched until the request completes
    /// (``CollectiveRequest/wait()``, or ``CollectiveRequest/test()`` answering `true`).
    func allReduceAsync<Element: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<Element>,
                                                   op: ReduceOp) -> any CollectiveRequest

    /// Overwrites `buffer` on every rank with its contents on `root` (the same count on every rank).
    func broadcast<Element: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<Element>, root: Int)

    /// Every rank's `values`, indexed by rank, on every rank (counts may differ between ranks).
    func allGather<Element: CollectiveScalar>(_ values: [Element]) -> [[Element]]

    /// Every rank's `values`, indexed by rank, on `root`; `[]` on the other ranks (counts may differ).
    func gather<Element: CollectiveScalar>(_ values: [Element], root: Int) -> [[Element]]

    /// Memory of `count` floats per rank that ``SharedAveragingBuffer/average(_:)`` averages in
    /// place across ranks (collective), or `nil` where this communicator has none: then reduce
    /// with ``allReduce(_:op:)``.
    func makeSharedAveragingBuffer(count: Int) -> SharedAveragingBuffer?

    /// Returns once every rank has called `barrier()`.
    func barrier()

    /// Prints `[rank N] message` on standard error and ends every process of the job with status `code`.
    func abort(code: Int32, message: String) -> Never
}

extension Communicator {
    /// None: a communicator without shared memory reduces through ``allReduce(_:op:)``.
    public func makeSharedAveragingBuffer(count: Int) -> SharedAveragingBuffer? { nil }
}
