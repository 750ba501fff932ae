import CMPI

extension MPICommunicator {
    /// A ``SharedAveragingBuffer`` of `count` floats per rank (collective), or `nil` on every rank
    /// when the job's layout does not suit one: a single rank, nodes with different numbers of
    /// ranks, or nodes whose ranks are not consecutive (then `MPI_Allreduce` is the way).
    public func makeSharedAveragingBuffer(count: Int) -> SharedAveragingBuffer? {
        precondition(count > 0, "makeSharedAveragingBuffer: count must be positive, got \(count)")
        guard worldSize > 1 else { return nil }
        // The first rank of this node, as every rank of the node sees it.
        var leader = [Int64(rank)]
        check(MPI_Bcast(&leader, 1, cmpi_int64(), 0, node), "MPI_Bcast")
        let layouts = allGather([Int64(localWorldSize), leader[0]])
        let regular = layouts.enumerated().allSatisfy { rank, layout in
            layout[0] == Int64(localWorldSize) && layout[1] == Int64(rank - rank % localWorldSize)
        }
        guard regular else { return nil }

        var acrossNodes: MPI_Comm? = nil
        if localWorldSize < worldSize {
            var comm = cmpi_comm_null()
            check(MPI_Comm_split(world, Int32(localRank), Int32(rank), &comm), "MPI_Comm_split")
            acrossNodes = comm
        }

        // Each segment padded to whole cache lines and placed on its own pages, so ranks writing
        // their own segments never share a line.
        let padded = (count + 15) / 16 * 16 + 16
        var info = cmpi_info_null()
        MPI_Info_create(&info)
        MPI_Info_set(info, "alloc_shared_noncontig", "true")
        var base: UnsafeMutableRawPointer? = nil
        var window = cmpi_win_null()
        let bytes = padded * MemoryLayout<Float>.stride
        let allocated = MPI_Win_allocate_shared(MPI_Aint(bytes), Int32(MemoryLayout<Float>.stride), info, node, &base, &window)
        if allocated != cmpi_success() {
            abort(code: 1, message: "MPI_Win_allocate_shared of \(bytes) bytes per rank for the gradient failed: "
                  + "\(MPIStatus.errorText(allocated)). Is /dev/shm large enough? DataParallelStrategy(sharedMemory: false) "
                  + "averages by MPI_Allreduce instead")
        }
        MPI_Info_free(&info)
        check(MPI_Win_lock_all(cmpi_mode_nocheck(), window), "MPI_Win_lock_all")

        var segments: [UnsafeMutablePointer<Float>] = []
        for local in 0..<localWorldSize {
            var size: MPI_Aint = 0, unit: Int32 = 0
            var address: UnsafeMutableRawPointer? = nil
            check(MPI_Win_shared_query(window, Int32(local), &size, &unit, &address), "MPI_Win_shared_query")
            guard let address else { abort(code: 1, message: "MPI_Win_shared_query returned no address for local rank \(local)") }
            let aligned = (Int(bitPattern: address) + 63) & ~63
            segments.append(UnsafeMutablePointer<Float>(bitPattern: aligned)!)
        }
        segments[localRank].update(repeating: 0, count: count)
        guard let window else { abort(code: 1, message: "MPI_Win_allocate_shared returned no window") }
        let buffer = SharedAveragingBuffer(communicator: self, count: count, node: node, acrossNodes: acrossNodes,
                                           window: window, segments: segments, localRank: localRank)
        barrier()
        return buffer
    }
}
