#if canImport(Glibc)
import Glibc
#endif
import CMPI
import COpenBLAS
import LightningTensor

/// Float32 memory that every rank on a node can address (an MPI-3 shared-memory window), averaged
/// across all ranks of the job in place, with no copy into or out of MPI.
///
/// Each rank owns one segment (``storage``: a model's flat gradient buffer lives in it). To average,
/// local rank `l` sums slice `l` of every local segment in a fixed pairwise tree over local ranks
/// (`(r0 + r1) + (r2 + r3)`), so the result is identical on every rank and does not depend on timing.
/// With several nodes that partial sum is then all-reduced (`MPI_Allreduce`) among the ranks that own
/// the same slice on the other nodes, which makes two nodes of two ranks give exactly what four ranks
/// on one node give. The owner scales its slice and writes it into every local segment.
///
/// On one node of two ranks this moves each gradient byte across cores once instead of through
/// MPI's copy-in, copy-out pipeline: 0.10–0.14 ms instead of 0.39–0.47 ms for a bare
/// `MPI_Allreduce` of the MLP's 2.1 MB gradient on a 2-core machine (the README's benchmarks).
///
/// The window lives until MPI is finalized: freeing it is collective, and no point after `setup` is
/// one that every rank is sure to reach while no tensor still views the memory.
// Unchecked: its stored properties are constants; the window memory is written only between the
// collective barriers of `average`, which order every rank's writes before any rank's reads.
public final class SharedAveragingBuffer: @unchecked Sendable {
    /// The number of float32 elements in each rank's segment.
    public let count: Int
    /// This rank's segment, 64-byte aligned, for tensors to view (a flat gradient buffer).
    public let storage: TensorStorage

    let communicator: MPICommunicator
    /// Every local rank's segment, by local rank.
    let segments: [UnsafeMutablePointer<Float>]
    let node: MPI_Comm
    /// The ranks with this rank's local rank on every node, or `nil` on a one-node job.
    let acrossNodes: MPI_Comm?
    let window: MPI_Win
    let localRank: Int

    init(communicator: MPICommunicator, count: Int, node: MPI_Comm, acrossNodes: MPI_Comm?, window: MPI_Win,
         segments: [UnsafeMutablePointer<Float>], localRank: Int) {
        self.communicator = communicator
        self.count = count
        self.node = node
        self.acrossNodes = acrossNodes
        self.window = window
        self.segments = segments
        self.localRank = localRank
        storage = TensorStorage(borrowing: UnsafeMutableRawPointer(segments[localRank]),
                                byteCount: count * MemoryLayout<Float>.stride)
    }

    /// The number of nodes the job spans (each with the same number of ranks).
    public var nodes: Int { communicator.worldSize / segments.count }

    /// This rank's segment as a buffer.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: segments[localRank], count: count) }

    /// Replaces `range` of every rank's segment with its mean over all ranks (collective: every rank
    /// calls it with the same range once its own segment holds its values).
    public func average(_ range: Range<Int>) {
        var unused = 0.0
        average(range, timing: false, waited: &unused)
    }

    /// ``average(_:)``, adding to `waited` the seconds this rank spent in its two synchronizations:
    /// the time it waited for the node's other ranks (a profiler names a straggler with it).
    public func average(_ range: Range<Int>, waited: inout Double) {
        average(range, timing: true, waited: &waited)
    }

    private func average(_ range: Range<Int>, timing: Bool, waited: inout Double) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count,
                     "SharedAveragingBuffer.average: range \(range) outside 0..<\(count)")
        guard !range.isEmpty else { return }
        communicator.watchdog.begin(CollectiveDescriptor(.allReduce, op: .mean, element: .float32, count: range.count))
        defer { communicator.watchdog.end() }
        synchronize(timing: timing, waited: &waited)
        let locals = segments.count
        let slice = Self.slice(of: range, part: localRank, parts: locals)
        let scale = Float(1 / Double(communicator.worldSize))
        if let acrossNodes {
            sumLocalSegments(slice, into: segments[localRank])
            if !slice.isEmpty {
                communicator.check(MPI_Allreduce(cmpi_in_place(), segments[localRank] + slice.lowerBound, Int32(slice.count),
                                                 cmpi_float(), cmpi_sum(), acrossNodes), "MPI_Allreduce")
            }
            scaleAndPublish(slice, scale: scale)
        } else if locals == 2 {
            SegmentArithmetic.average(segments[0] + slice.lowerBound, segments[1] + slice.lowerBound, count: slice.count)
        } else {
            sumLocalSegments(slice, into: segments[localRank])
            scaleAndPublish(slice, scale: scale)
        }
        synchronize(timing: timing, waited: &waited)
    }

    /// Every local rank's writes become visible to every other (MPI's shared-window pattern);
    /// when `timing`, the seconds it took are added to `waited`.
    private func synchronize(timing: Bool, waited: inout Double) {
        let start = timing ? Self.preciseNanoseconds() : 0
        communicator.check(MPI_Win_sync(window), "MPI_Win_sync")
        communicator.check(MPI_Barrier(node), "MPI_Barrier")
        communicator.check(MPI_Win_sync(window), "MPI_Win_sync")
        if timing { waited += Double(Self.preciseNanoseconds() &- start) / 1e9 }
    }

    /// The monotonic clock at full resolution (MonotonicClock's coarse one ticks every few ms).
    private static func preciseNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }

    /// `output[slice] = tree sum of every local segment's slice` (output may be one of the segments).
    private func sumLocalSegments(_ slice: Range<Int>, into output: UnsafeMutablePointer<Float>) {
        let block = 1024
        var scratch = [Float](repeating: 0, count: block * 2 * max(1, segments.count))
        scratch.withUnsafeMutableBufferPointer { scratch in
            var start = slice.lowerBound
            while start < slice.upperBound {
                let n = min(block, slice.upperBound - start)
                SegmentArithmetic.treeSum(segments.map { $0 + start }, count: n, scratch: scratch.baseAddress!, block: block)
                (output + start).update(from: scratch.baseAddress!, count: n)
                start += n
            }
        }
    }

    /// Scales this rank's `slice` and copies it into every other local segment.
    private func scaleAndPublish(_ slice: Range<Int>, scale: Float) {
        guard !slice.isEmpty else { return }
        let own = segments[localRank] + slice.lowerBound
        cblas_sscal(Int32(slice.count), scale, own, 1)
        for (rank, segment) in segments.enumerated() where rank != localRank {
            (segment + slice.lowerBound).update(from: own, count: slice.count)
        }
    }

    /// Part `part` of `parts` near-equal contiguous parts of `range`.
    static func slice(of range: Range<Int>, part: Int, parts: Int) -> Range<Int> {
        let n = range.count
        return (range.lowerBound + n * part / parts)..<(range.lowerBound + n * (part + 1) / parts)
    }
}

/// The arithmetic of ``SharedAveragingBuffer``.
enum SegmentArithmetic {
    /// `a[i] = b[i] = (a[i] + b[i]) × ½`: the two-rank mean written into both segments in one pass.
    static func average(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, count: Int) {
        #if DEBUG
        // Unoptimized, a Swift loop costs many times the transfer; BLAS's passes do not.
        cblas_saxpy(Int32(count), 1, b, 1, a, 1)
        cblas_sscal(Int32(count), 0.5, a, 1)
        cblas_scopy(Int32(count), a, 1, b, 1)
        #else
        for i in 0..<count {
            let mean = (a[i] + b[i]) * 0.5
            a[i] = mean
            b[i] = mean
        }
        #endif
    }

    /// The pairwise tree sum of `count` elements from each of `inputs` into `scratch[0..<count]`:
    /// `(x0 + x1) + (x2 + x3)`, the left half taking the extra input when the count is odd.
    static func treeSum(_ inputs: [UnsafeMutablePointer<Float>], count: Int, scratch: UnsafeMutablePointer<Float>, block: Int) {
        sum(inputs[...], count: count, into: scratch, spare: scratch + block)
    }

    private static func sum(_ inputs: ArraySlice<UnsafeMutablePointer<Float>>, count: Int,
                            into output: UnsafeMutablePointer<Float>, spare: UnsafeMutablePointer<Float>) {
        if inputs.count == 1 {
            output.update(from: inputs.first!, count: count)
            return
        }
        let middle = inputs.startIndex + (inputs.count + 1) / 2
        sum(inputs[..<middle], count: count, into: output, spare: spare + count)
        sum(inputs[middle...], count: count, into: spare, spare: spare + count)
        cblas_saxpy(Int32(count), 1, spare, 1, output, 1)
    }
}
