import CMPI

/// An `MPI_Iallreduce` in flight over a caller's buffer.
final class MPIAllReduceRequest: CollectiveRequest {
    private let communicator: MPICommunicator
    private let buffer: UnsafeMutableRawPointer
    private let descriptor: CollectiveDescriptor
    private let scaleAfter: Double?
    private var request: MPI_Request? = cmpi_request_null()
    private var isComplete = false

    /// Starts the reduction of `count` elements at `buffer` (at most `Int32.max`).
    init(communicator: MPICommunicator, buffer: UnsafeMutableRawPointer, count: Int, element: CollectiveElement, op: ReduceOp) {
        self.communicator = communicator
        self.buffer = buffer
        self.descriptor = CollectiveDescriptor(.allReduceWait, op: op, element: element, count: count)
        let reduction = communicator.mpiReduction(for: op)
        self.scaleAfter = reduction.scaleAfter
        communicator.check(MPI_Iallreduce(cmpi_in_place(), buffer, Int32(count), element.mpiDatatype, reduction.op,
                                          communicator.world, &request), "MPI_Iallreduce")
    }

    /// Blocks in `MPI_Wait` (watched like a blocking collective).
    func wait() {
        if isComplete { return }
        communicator.watchdog.begin(descriptor)
        communicator.check(MPI_Wait(&request, cmpi_status_ignore()), "MPI_Wait")
        communicator.watchdog.end()
        finish()
    }

    /// Asks `MPI_Test` whether the reduction is done.
    func test() -> Bool {
        if isComplete { return true }
        var done: Int32 = 0
        communicator.check(MPI_Test(&request, &done, cmpi_status_ignore()), "MPI_Test")
        if done != 0 { finish() }
        return isComplete
    }

    private func finish() {
        isComplete = true
        if let factor = scaleAfter, let element = descriptor.element {
            BufferScaling.scale(buffer, count: descriptor.count, element: element, by: factor)
        }
    }

    // MPI writes into the buffer until completion; never leave it writing after the request is gone.
    deinit { wait() }
}
