import CMPI
import LightningTensor

extension MPICommunicator {
    /// Counts with `MPI_Allgather`, then the values with `MPI_Allgatherv`.
    public func allGather<Element: CollectiveScalar>(_ values: [Element]) -> [[Element]] {
        let element = Element.collectiveElement
        var mine = mpiCount(values.count, caller: "allGather")
        watchdog.begin(CollectiveDescriptor(.allGather, element: element, count: values.count))
        var counts = [Int32](repeating: 0, count: worldSize)
        check(MPI_Allgather(&mine, 1, cmpi_int(), &counts, 1, cmpi_int(), world), "MPI_Allgather")
        let offsets = displacements(of: counts, caller: "allGather")
        let flat = [Element](unsafeUninitializedCapacity: offsets.total) { received, initialized in
            values.withUnsafeBufferPointer { sent in
                check(MPI_Allgatherv(sent.baseAddress, mine, element.mpiDatatype, received.baseAddress, counts,
                                     offsets.starts, element.mpiDatatype, world), "MPI_Allgatherv")
            }
            initialized = offsets.total
        }
        watchdog.end()
        return split(flat, counts: counts, starts: offsets.starts)
    }

    /// Counts with `MPI_Gather`, then the values with `MPI_Gatherv`, to `root`.
    public func gather<Element: CollectiveScalar>(_ values: [Element], root: Int) -> [[Element]] {
        requireRoot(root, caller: "gather")
        let element = Element.collectiveElement
        var mine = mpiCount(values.count, caller: "gather")
        let isRoot = rank == root
        watchdog.begin(CollectiveDescriptor(.gather, element: element, count: values.count))
        var counts = [Int32](repeating: 0, count: isRoot ? worldSize : 0)
        check(MPI_Gather(&mine, 1, cmpi_int(), &counts, 1, cmpi_int(), Int32(root), world), "MPI_Gather")
        let offsets = displacements(of: counts, caller: "gather")
        let flat = [Element](unsafeUninitializedCapacity: offsets.total) { received, initialized in
            values.withUnsafeBufferPointer { sent in
                check(MPI_Gatherv(sent.baseAddress, mine, element.mpiDatatype, received.baseAddress, counts,
                                  offsets.starts, element.mpiDatatype, Int32(root), world), "MPI_Gatherv")
            }
            initialized = offsets.total
        }
        watchdog.end()
        return isRoot ? split(flat, counts: counts, starts: offsets.starts) : []
    }

    /// `count` as MPI's `int`, or a usage failure naming the limit.
    private func mpiCount(_ count: Int, caller: String) -> Int32 {
        usagePrecondition(count <= Int(Int32.max), "\(caller): \(count) elements exceed MPI's count limit of \(Int32.max)")
        return Int32(count)
    }

    /// Where each rank's values start in the gathered buffer, and the total.
    private func displacements(of counts: [Int32], caller: String) -> (starts: [Int32], total: Int) {
        var starts: [Int32] = []
        starts.reserveCapacity(counts.count)
        var total = 0
        for count in counts {
            starts.append(Int32(truncatingIfNeeded: total))
            total += Int(count)
        }
        usagePrecondition(total <= Int(Int32.max), "\(caller): \(total) gathered elements exceed MPI's count limit of \(Int32.max)")
        return (starts, total)
    }

    /// The gathered buffer cut into one array per rank.
    private func split<Element>(_ flat: [Element], counts: [Int32], starts: [Int32]) -> [[Element]] {
        zip(starts, counts).map { start, count in Array(flat[Int(start) ..< Int(start) + Int(count)]) }
    }
}
