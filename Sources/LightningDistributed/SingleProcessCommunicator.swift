import LightningTensor
#if canImport(Glibc)
import Glibc
#endif

/// The communicator of a process that runs alone (not started by an MPI launcher).
///
/// Every collective is the identity or a copy, and MPI is never initialized, so a plain run
/// starts as fast as a program without distribution.
public struct SingleProcessCommunicator: Communicator {
    /// A communicator for this process alone.
    public init() {}

    /// Always 0.
    public var rank: Int { 0 }
    /// Always 1.
    public var worldSize: Int { 1 }
    /// Always 0.
    public var localRank: Int { 0 }
    /// Always 1.
    public var localWorldSize: Int { 1 }

    /// Leaves `buffer` as it is: the reduction over one rank.
    public func allReduce<Element: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<Element>, op: ReduceOp) {
        op.requireSupported(by: Element.collectiveElement, caller: "allReduce")
    }

    /// Leaves `buffer` as it is and returns a completed request.
    public func allReduceAsync<Element: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<Element>,
                                                          op: ReduceOp) -> any CollectiveRequest {
        op.requireSupported(by: Element.collectiveElement, caller: "allReduceAsync")
        return CompletedRequest()
    }

    /// Leaves `buffer` as it is (`root` must be 0).
    public func broadcast<Element: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<Element>, root: Int) {
        requireRoot(root, caller: "broadcast")
    }

    /// `[values]`.
    public func allGather<Element: CollectiveScalar>(_ values: [Element]) -> [[Element]] { [values] }

    /// `[values]` (`root` must be 0).
    public func gather<Element: CollectiveScalar>(_ values: [Element], root: Int) -> [[Element]] {
        requireRoot(root, caller: "gather")
        return [values]
    }

    /// Returns at once.
    public func barrier() {}

    /// Prints `message` on standard error and exits with status `code`.
    public func abort(code: Int32, message: String) -> Never {
        fflush(nil)
        StandardError.write(line: message)
        exit(code)
    }
}
