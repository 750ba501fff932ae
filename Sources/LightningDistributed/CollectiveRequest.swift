/// A collective started by ``Communicator/allReduceAsync(_:op:)``; its result is in the buffer once it completes.
public protocol CollectiveRequest: AnyObject {
    /// Blocks until the operation has completed and the buffer holds the result.
    func wait()
    /// Whether the operation has completed (finishing it if so); never blocks.
    func test() -> Bool
}

/// A request that completed when it was made (single-process collectives).
final class CompletedRequest: CollectiveRequest {
    func wait() {}
    func test() -> Bool { true }
}
