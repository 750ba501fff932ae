#if canImport(Glibc)
import Glibc
#endif
import CMPI
import LightningDistributed
import LightningTensor

/// Runs every collective with values whose result each rank can predict, and aborts the job
/// with `[rank N] check failed: …` on the first mismatch.
struct CollectiveChecks {
    let communicator: any Communicator
    var rank: Int { communicator.rank }
    var world: Int { communicator.worldSize }

    init(_ communicator: any Communicator) { self.communicator = communicator }

    func runAll() {
        checkTopology()
        checkAllReduce(Float.self)
        checkAllReduce(Double.self)
        checkIntegerAllReduce()
        checkTensors()
        checkBroadcast()
        checkGather()
        checkAsyncAllReduce()
        checkSharedAveraging()
        communicator.barrier()
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        print("rank \(rank) of \(world) (local \(communicator.localRank) of \(communicator.localWorldSize)) "
              + "\(type(of: communicator)) mpi_initialized \(initialized): collectives ok")
    }

    func expect(_ condition: Bool, _ what: @autoclosure () -> String) {
        if !condition { FailureHandler.fail("check failed: \(what())") }
    }

    /// One node: local ranks equal world ranks.
    func checkTopology() {
        expect(communicator.localRank == rank && communicator.localWorldSize == world,
               "local \(communicator.localRank)/\(communicator.localWorldSize) vs world \(rank)/\(world)")
        expect(communicator.isMain == (rank == 0), "isMain on rank \(rank)")
        if let mpi = communicator as? MPICommunicator {
            expect(mpi.threadSupport >= Int32(MPI_THREAD_SERIALIZED), "MPI provides thread level \(mpi.threadSupport)")
        }
        // `DistributedEnvironment.start()` bound the device; binding again must agree with it.
        let binding = DeviceBinding.apply(for: communicator)
        expect(Tensor.blasThreads == binding.blasThreads, "BLAS threads \(Tensor.blasThreads) != bound \(binding.blasThreads)")
    }

    /// Rank r holds `[r + 1, 2(r + 1), …]`, so sums, means and extremes are known.
    func checkAllReduce<T: CollectiveScalar & BinaryFloatingPoint>(_: T.Type) {
        let mine = (1...5).map { T($0 * (rank + 1)) }
        let triangle = T(world * (world + 1) / 2)
        // An array, not a dictionary: every rank must run the collectives in the same order.
        let expected: [(ReduceOp, [T])] = [
            (.sum, (1...5).map { T($0) * triangle }),
            (.mean, (1...5).map { T($0) * triangle / T(world) }),
            (.max, (1...5).map { T($0 * world) }),
            (.min, (1...5).map { T($0) }),
        ]
        for (op, values) in expected {
            let got = communicator.allReduced(mine, op: op)
            expect(zip(got, values).allSatisfy { abs($0 - $1) <= 1e-5 * abs($1) }, "allReduce(\(op)) \(T.self): \(got) != \(values)")
        }
    }

    func checkIntegerAllReduce() {
        let mine: [Int64] = [Int64(rank), -Int64(rank), 1 << 40]
        expect(communicator.allReduced(mine, op: .sum) == [Int64(world * (world - 1) / 2), -Int64(world * (world - 1) / 2), Int64(world) << 40],
               "allReduce(sum) Int64")
        expect(communicator.allReduced(mine, op: .max) == [Int64(world - 1), 0, 1 << 40], "allReduce(max) Int64")
        expect(communicator.allReduced(mine, op: .min) == [0, -Int64(world - 1), 1 << 40], "allReduce(min) Int64")
        expect(communicator.allReduced([UInt8(rank)], op: .max) == [UInt8(world - 1)], "allReduce(max) UInt8")
    }

    func checkTensors() {
        let gradient = Tensor(shape: [2, 3], scalars: Array(repeating: Float(rank), count: 6))
        communicator.allReduce(gradient, op: .mean)
        expect(gradient.scalars == Array(repeating: Float(world - 1) / 2, count: 6), "allReduce(mean) tensor: \(gradient.scalars)")
        let counts = Tensor(int64: [Int64(rank), 1])
        communicator.allReduce(counts, op: .sum)
        expect(counts.int64Scalars == [Int64(world * (world - 1) / 2), Int64(world)], "allReduce(sum) int64 tensor")

        let root = world - 1
        let parameters = Tensor(Array(repeating: Float(rank), count: 4))
        communicator.broadcast(parameters, root: root)
        expect(parameters.scalars == Array(repeating: Float(root), count: 4), "broadcast float32 tensor")
        let indices = Tensor(int64: [Int64(rank), Int64(rank) * 2])
        communicator.broadcast(indices, root: root)
        expect(indices.int64Scalars == [Int64(root), Int64(root) * 2], "broadcast int64 tensor")
    }

    func checkBroadcast() {
        var buffer = [Double](repeating: Double(rank), count: 3)
        buffer.withUnsafeMutableBufferPointer { communicator.broadcast($0, root: 0) }
        expect(buffer == [0, 0, 0], "broadcast Double buffer")
        expect(communicator.broadcast(Int(rank + 7), root: world - 1) == world + 6, "broadcast Int")
        // Only the root's length counts: the others pass something else.
        let bytes: [UInt8] = rank == 0 ? Array("version_3".utf8) : [1, 2]
        expect(communicator.broadcast(bytes, root: 0) == Array("version_3".utf8), "broadcast bytes")
        let json = rank == 0 ? #"{"epoch": 3, "name": "Ω-net"}"# : ""
        expect(communicator.broadcast(json, root: 0) == #"{"epoch": 3, "name": "Ω-net"}"#, "broadcast String")
        expect(communicator.broadcast([Float](), root: 0).isEmpty, "broadcast empty")
    }

    func checkGather() {
        let equal = communicator.allGather([Float(rank), Float(rank * 10)])
        expect(equal == (0..<world).map { [Float($0), Float($0 * 10)] }, "allGather Float: \(equal)")
        // Rank r sends r copies of r: counts differ, and rank 0 sends nothing.
        let variable = communicator.allGather([Int64](repeating: Int64(rank), count: rank))
        expect(variable == (0..<world).map { [Int64](repeating: Int64($0), count: $0) }, "allGather variable Int64")
        for root in world > 1 ? [0, world - 1] : [0] {
            let gathered = communicator.gather([Double](repeating: Double(rank), count: rank + 1), root: root)
            let expected = rank == root ? (0..<world).map { [Double](repeating: Double($0), count: $0 + 1) } : []
            expect(gathered == expected, "gather Double to \(root): \(gathered)")
        }
        let text = communicator.gather(Array("rank \(rank)".utf8), root: 0)
        expect(text.map { String(decoding: $0, as: UTF8.self) } == (rank == 0 ? (0..<world).map { "rank \($0)" } : []),
               "gather bytes")
        let floats = communicator.gather([Float(rank)], root: 0)
        expect(floats == (rank == 0 ? (0..<world).map { [Float($0)] } : []), "gather Float")
    }

    func checkAsyncAllReduce() {
        var gradient = [Float](repeating: Float(rank + 1), count: 100_000)
        gradient.withUnsafeMutableBufferPointer { buffer in
            let request = communicator.allReduceAsync(buffer, op: .mean)
            _ = request.test()
            request.wait()
            expect(request.test(), "test() after wait()")
        }
        expect(gradient.allSatisfy { $0 == Float(world + 1) / 2 }, "allReduceAsync(mean): \(gradient[0])")
        var sums: [Double] = [Double(rank), 1]
        sums.withUnsafeMutableBufferPointer { buffer in
            let request = communicator.allReduceAsync(buffer, op: .sum)
            while !request.test() { sched_yield() }
        }
        expect(sums == [Double(world * (world - 1) / 2), Double(world)], "allReduceAsync(sum) with test(): \(sums)")
    }

    /// Node-shared averaging: exactly the pairwise-tree mean on every rank, only in the range asked,
    /// visible through a tensor over the segment; none for a process alone.
    func checkSharedAveraging() {
        let count = 10_001
        guard let shared = communicator.makeSharedAveragingBuffer(count: count) else {
            expect(world == 1, "no shared averaging buffer on \(world) ranks of one node")
            return
        }
        expect(shared.count == count && shared.nodes == 1, "shared buffer count \(shared.count), nodes \(shared.nodes)")
        let value = { (r: Int, i: Int) in Float(r + 1) * 0.1 + Float(i) * 1e-3 }
        for i in 0..<count { shared.buffer[i] = value(rank, i) }
        let range = 100..<9_000
        shared.average(range)
        // The documented order: (r0 + r1) + (r2 + r3), the left half taking the extra rank.
        func tree(_ ranks: Range<Int>, _ i: Int) -> Float {
            if ranks.count == 1 { return value(ranks.lowerBound, i) }
            let middle = ranks.lowerBound + (ranks.count + 1) / 2
            return tree(ranks.lowerBound..<middle, i) + tree(middle..<ranks.upperBound, i)
        }
        let scale = Float(1 / Double(world))
        let wrong = (0..<count).first { i in
            shared.buffer[i] != (range.contains(i) ? tree(0..<world, i) * scale : value(rank, i))
        }
        expect(wrong == nil, "shared average element \(wrong ?? -1): \(wrong.map { shared.buffer[$0] } ?? 0)")
        let view = Tensor(storage: shared.storage, shape: [count])
        expect(view.withUnsafeBufferPointer { $0[range.lowerBound] } == shared.buffer[range.lowerBound], "tensor view of the shared segment")
        // The timed form (the profiler's) averages the same way and adds its barrier time.
        for i in 0..<count { shared.buffer[i] = value(rank, i) }
        var waited = 0.0
        shared.average(range, waited: &waited)
        let wrongTimed = (0..<count).first { i in
            shared.buffer[i] != (range.contains(i) ? tree(0..<world, i) * scale : value(rank, i))
        }
        expect(wrongTimed == nil && waited >= 0 && waited.isFinite, "timed shared average element \(wrongTimed ?? -1), waited \(waited)")
    }
}
