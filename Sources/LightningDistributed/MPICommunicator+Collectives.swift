import CMPI
import LightningTensor

extension MPICommunicator {
    /// `MPI_Allreduce` in place; `.mean` is a sum then one scaling pass (fused into the reduction for two ranks).
    public func allReduce<Element: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<Element>, op: ReduceOp) {
        let element = Element.collectiveElement
        op.requireSupported(by: element, caller: "allReduce")
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        let reduction = mpiReduction(for: op)
        watchdog.begin(CollectiveDescriptor(.allReduce, op: op, element: element, count: buffer.count))
        forEachChunk(of: UnsafeMutableRawPointer(base), count: buffer.count, element: element) { chunk, count in
            check(MPI_Allreduce(cmpi_in_place(), chunk, count, element.mpiDatatype, reduction.op, world), "MPI_Allreduce")
        }
        watchdog.end()
        if let factor = reduction.scaleAfter {
            BufferScaling.scale(base, count: buffer.count, element: element, by: factor)
        }
    }

    /// `MPI_Iallreduce` in place; the request's completion applies a mean's scaling.
    public func allReduceAsync<Element: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<Element>,
                                                          op: ReduceOp) -> any CollectiveRequest {
        op.requireSupported(by: Element.collectiveElement, caller: "allReduceAsync")
        usagePrecondition(buffer.count <= Int(Int32.max),
                          "allReduceAsync: \(buffer.count) elements exceed MPI's count limit of \(Int32.max)")
        guard let base = buffer.baseAddress, buffer.count > 0 else { return CompletedRequest() }
        return MPIAllReduceRequest(communicator: self, buffer: UnsafeMutableRawPointer(base), count: buffer.count,
                                   element: Element.collectiveElement, op: op)
    }

    /// `MPI_Bcast` from `root`.
    public func broadcast<Element: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<Element>, root: Int) {
        requireRoot(root, caller: "broadcast")
        let element = Element.collectiveElement
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        watchdog.begin(CollectiveDescriptor(.broadcast, element: element, count: buffer.count))
        forEachChunk(of: UnsafeMutableRawPointer(base), count: buffer.count, element: element) { chunk, count in
            check(MPI_Bcast(chunk, count, element.mpiDatatype, Int32(root), world), "MPI_Bcast")
        }
        watchdog.end()
    }

    /// `MPI_Barrier`.
    public func barrier() {
        watchdog.begin(CollectiveDescriptor(.barrier))
        check(MPI_Barrier(world), "MPI_Barrier")
        watchdog.end()
    }

    /// The MPI op for `op`, and the factor to scale by afterwards (a mean over more than two ranks).
    func mpiReduction(for op: ReduceOp) -> (op: MPI_Op, scaleAfter: Double?) {
        guard op == .mean else { return (op.mpiOp, nil) }
        if let pairMean { return (pairMean, nil) }
        return (op.mpiOp, 1 / Double(worldSize))
    }

    /// Calls `body` on consecutive pieces of at most `Int32.max` elements (MPI's count type).
    private func forEachChunk(of base: UnsafeMutableRawPointer, count: Int, element: CollectiveElement,
                              _ body: (UnsafeMutableRawPointer, Int32) -> Void) {
        var done = 0
        while done < count {
            let n = Swift.min(count - done, Int(Int32.max))
            body(base + done * element.byteSize, Int32(n))
            done += n
        }
    }
}

