import LightningDistributed

/// Data parallelism over a ``Communicator`` (Lightning's `DDPStrategy`, over MPI): every process
/// holds a replica, trains on its shard, and averages gradients before each optimizer step.
///
/// - Setup broadcasts parameters and buffers (int64 ones too) from rank 0, so replicas start
///   identical whatever their seeds.
/// - Gradients live in the module's flat buffer and are averaged in place (frozen parameters have
///   no slot and are not reduced). Where the job's nodes allow it, the buffer lives in memory the
///   node's ranks share (``SharedAveragingBuffer``) and is averaged there with no copy through MPI;
///   otherwise by `MPI_Allreduce` in buckets of at most `bucketCapBytes` started back to back.
/// - Buffers (BatchNorm statistics) are broadcast from rank 0 before each training step, as
///   PyTorch DDP's `broadcast_buffers` does.
/// - A failure on any rank ends the whole job at once, naming the rank, instead of leaving the
///   other ranks waiting in their next collective.
public final class DataParallelStrategy: Strategy {
    /// The processes.
    public let communicator: any Communicator
    /// The largest gradient bucket reduced in one collective.
    public let bucketCapBytes: Int
    /// Whether gradients are averaged in node-shared memory where the job's layout allows it.
    public let sharedMemory: Bool
    /// Whether a bucket starts reducing as soon as backward has completed it.
    public let overlapWithBackward: Bool
    private var buffers: [Buffer] = []
    /// The node-shared gradient memory, once a setup made it (kept for later runs of this strategy).
    private var sharedGradients: SharedAveragingBuffer?
    /// Starts buckets during backward, when overlapping.
    private var bucketReducer: GradientBucketReducer?
    /// The host copy of a GPU's gradients reduced by MPI (when there is no node-shared window).
    private var hostGradients: Tensor?
    /// Reductions started and not yet waited for.
    private var inFlight: [any CollectiveRequest] = []
    /// Whether rank 0 has said how gradients are averaged.
    private var announced = false
    /// The Trainer's profiler during a profiled stage; the time spent in the node-shared
    /// averaging's barriers is recorded in it.
    public var profiler: (any Profiler)?
    /// Seconds waited in the shared averaging's barriers since the last reduction was recorded.
    private var waited = 0.0
    /// The profiler's name for that wait.
    private let waitAction = "[Strategy]\(DataParallelStrategy.self).reduce_gradients.wait_for_ranks"

    /// A data-parallel strategy over `communicator` (default: the processes MPI started).
    ///
    /// - Parameters:
    ///   - bucketCapMB: the largest piece of the gradient one collective carries.
    ///   - sharedMemory: average gradients in memory shared by a node's ranks (no copy through MPI);
    ///     `false` always uses `MPI_Allreduce`.
    ///   - overlapWithBackward: start each bucket (reverse parameter order, as PyTorch DDP) as soon as
    ///     backward completes it, instead of all after backward.
    public init(communicator: (any Communicator)? = nil, bucketCapMB: Double = 25, sharedMemory: Bool = true,
                overlapWithBackward: Bool = false) {
        self.communicator = communicator ?? DistributedEnvironment.start()
        self.bucketCapBytes = max(4, Int(bucketCapMB * 1_048_576))
        self.sharedMemory = sharedMemory
        self.overlapWithBackward = overlapWithBackward
    }

    /// This process's rank.
    public var globalRank: Int { communicator.rank }
    /// The number of processes.
    public var worldSize: Int { communicator.worldSize }
    /// The rank on this node.
    public var localRank: Int { communicator.localRank }

    /// Broadcasts rank 0's parameters and buffers.
    public func setup(module: LightningModuleBase) throws {
        for parameter in module.parameters() { communicator.broadcast(parameter.value, root: 0) }
        buffers = module.buffers()
        for buffer in buffers { communicator.broadcast(buffer.value, root: 0) }
        try placeGradientsInSharedMemory(module)
        bucketReducer?.removeHooks()
        bucketReducer = nil
        // A GPU's gradients are averaged after backward, through host memory (the buckets' hooks
        // would read the GPU buffer from the host).
        if overlapWithBackward, worldSize > 1, let layout = module.gradientLayout, layout.buffer.device.isCPU {
            bucketReducer = GradientBucketReducer(
                layout: layout, capElements: max(1, bucketCapBytes / MemoryLayout<Float>.stride),
                start: { [unowned self] range in self.startReducing(range, of: layout.buffer) },
                progress: { [unowned self] in for request in self.inFlight { _ = request.test() } })
        }
    }

    /// Starts averaging `range` of the flat gradient buffer: in shared memory (which completes it
    /// at once), else by `MPI_Iallreduce`, waited for in ``reduceGradients(module:)``.
    private func startReducing(_ range: Range<Int>, of buffer: Tensor) {
        if let shared = sharedHolding(buffer) {
            averageShared(shared, range)
            return
        }
        // The storage's block never moves, and `buffer` (the module's layout) outlives the request.
        let all = buffer.withUnsafeMutableBufferPointer { $0 }
        inFlight.append(communicator.allReduceAsync(UnsafeMutableBufferPointer(rebasing: all[range]), op: .mean))
    }

    /// The node-shared memory, if `buffer` lives in it (a module flattened again after setup does not).
    private func sharedHolding(_ buffer: Tensor) -> SharedAveragingBuffer? {
        sharedGradients.flatMap { $0.storage === buffer.storage ? $0 : nil }
    }

    /// Arms the overlapped reduction for a backward pass that a reduction follows.
    public func beforeBackward(module: LightningModuleBase, reducing: Bool) throws {
        guard let bucketReducer else { return }
        if reducing { bucketReducer.arm() } else { bucketReducer.disarm() }
    }

    /// Moves the module's flat gradient buffer into node-shared memory (collective: every rank
    /// asks for the same size, so all agree on whether there is one).
    private func placeGradientsInSharedMemory(_ module: LightningModuleBase) throws {
        guard worldSize > 1, let layout = module.gradientLayout, layout.buffer.count > 0 else { return }
        let count = layout.buffer.count
        if sharedMemory, sharedGradients.map({ $0.count < count }) ?? true {
            sharedGradients = communicator.makeSharedAveragingBuffer(count: count)
        }
        if let shared = sharedGradients { module.flattenGradients(storage: shared.storage) }
        if isGlobalZero && !announced {
            announced = true
            let nodes = sharedGradients?.nodes
            TrainerLog.info("Data parallel over \(worldSize) processes" + (nodes.map { " on \($0) node\($0 == 1 ? "" : "s")" } ?? "")
                + ": gradients averaged " + (nodes == nil ? "by MPI_Allreduce" : "in node-shared memory"))
        }
    }

    /// Sums over every process's batch (one allreduce per call; Lightning's `sync_batchnorm`).
    public var batchStatistics: any BatchStatisticsReducer { CommunicatorBatchStatistics(communicator: communicator) }

    /// Broadcasts rank 0's buffers, so normalization statistics stay identical.
    public func beforeTrainingStep(module: LightningModuleBase) throws {
        for buffer in buffers { communicator.broadcast(buffer.value, root: 0) }
    }

    /// PyTorch `DistributedSampler` shards (padded, so every rank runs the same number of batches).
    public func trainingLoader<Batch>(_ loader: DataLoader<Batch>, rank: Int) -> DataLoader<Batch> {
        Self.trainingShard(loader, rank: rank, worldSize: worldSize)
    }

    /// Contiguous unpadded shards of whole batches: every sample is evaluated exactly once, in the
    /// same batch as in one process (so predictions and batch means are bit-identical).
    public func evaluationLoader<Batch>(_ loader: DataLoader<Batch>, rank: Int) -> DataLoader<Batch> {
        Self.evaluationShard(loader, rank: rank, worldSize: worldSize)
    }

    /// Rank `rank`'s training shard in a world of `worldSize` (a function of the sizes alone, so
    /// it can be checked without launching processes).
    static func trainingShard<Batch>(_ loader: DataLoader<Batch>, rank: Int, worldSize: Int) -> DataLoader<Batch> {
        loader.sharded(rank: rank, worldSize: worldSize, padded: true)
    }

    /// Rank `rank`'s evaluation shard in a world of `worldSize`.
    static func evaluationShard<Batch>(_ loader: DataLoader<Batch>, rank: Int, worldSize: Int) -> DataLoader<Batch> {
        loader.sharded(rank: rank, worldSize: worldSize, padded: false, alignedToBatches: true)
    }

    /// Averages the flat gradient buffer in place, bucket by bucket.
    public func reduceGradients(module: LightningModuleBase) throws {
        guard let layout = module.gradientLayout else {
            throw LightningError.misconfiguration("DataParallelStrategy: \(type(of: module)) has no flat gradient buffer (flattenGradients was not called)")
        }
        layout.fillMissingGradientsWithZeros()
        if let bucketReducer, bucketReducer.isArmed {
            bucketReducer.startRemaining()
            for request in inFlight { request.wait() }
            inFlight = []
            recordWait()
            return
        }
        let total = layout.buffer.count
        if !layout.buffer.device.isCPU {
            reduceThroughHost(layout.buffer)
            recordWait()
            return
        }
        if let shared = sharedHolding(layout.buffer) {
            averageShared(shared, 0..<total)
            recordWait()
            return
        }
        let bucket = max(1, bucketCapBytes / MemoryLayout<Float>.stride)
        layout.buffer.withUnsafeMutableBufferPointer { all in
            if total <= bucket {
                communicator.allReduce(all, op: .mean)
                return
            }
            var requests: [any CollectiveRequest] = []
            var start = 0
            while start < total {
                let end = min(total, start + bucket)
                requests.append(communicator.allReduceAsync(UnsafeMutableBufferPointer(rebasing: all[start..<end]), op: .mean))
                start = end
            }
            for request in requests { request.wait() }
        }
    }

    /// Averages a GPU's flat gradient buffer through host memory: copied into the node-shared
    /// window when there is one (averaged there as a CPU buffer is), else into a host buffer
    /// reduced by `MPI_Allreduce`, then copied back.
    private func reduceThroughHost(_ buffer: Tensor) {
        let total = buffer.count
        if let shared = sharedGradients, shared.count >= total {
            let window = Tensor(storage: shared.storage, shape: [total])
            window.copy(from: buffer)
            averageShared(shared, 0..<total)
            buffer.copy(from: window)
            return
        }
        if hostGradients?.count != total { hostGradients = Tensor.zeros([total]) }
        let host = hostGradients!
        host.copy(from: buffer)
        communicator.allReduce(host, op: .mean)
        buffer.copy(from: host)
    }

    /// Averages `range` in node-shared memory, timing its barriers when profiling.
    private func averageShared(_ shared: SharedAveragingBuffer, _ range: Range<Int>) {
        if profiler != nil { shared.average(range, waited: &waited) } else { shared.average(range) }
    }

    /// Records the barrier time of the reduction just finished (shared memory only: inside
    /// `MPI_Allreduce` waiting and moving data cannot be told apart, so that path records none).
    private func recordWait() {
        guard let profiler, sharedGradients != nil else { return }
        profiler.record(waitAction, seconds: waited)
        waited = 0
    }

    /// Every rank's text.
    public func allGather(_ text: String) throws -> [String] {
        communicator.allGather(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Sums, means, maxima or minima across processes.
    public func allReduce(_ values: inout [Double], op: ReduceOp) throws {
        guard !values.isEmpty else { return }
        values.withUnsafeMutableBufferPointer { communicator.allReduce($0, op: op) }
    }

    /// Gathers every rank's keys: ranks that logged nothing (an empty evaluation shard) adopt the
    /// others'; ranks that logged different keys make every rank throw, naming ranks and keys.
    public func agreeOnKeys(_ keys: [String], context: String) throws -> [String] {
        let separator = "\u{1F}"
        let all = communicator.allGather(Array(keys.joined(separator: separator).utf8))
        let lists = all.map { String(decoding: $0, as: UTF8.self).components(separatedBy: separator).filter { !$0.isEmpty } }
        let logged = lists.filter { !$0.isEmpty }
        guard let first = logged.first else { return [] }
        guard logged.allSatisfy({ Set($0) == Set(first) }) else {
            let names = { (list: [String]) in list.map { $0.components(separatedBy: "\u{1E}")[0] }.sorted().joined(separator: ", ") }
            let described = lists.enumerated().map { "rank \($0.offset): [\(names($0.element))]" }.joined(separator: "; ")
            throw LightningError.misconfiguration("ranks logged different keys for \(context): \(described); every rank must log the same keys")
        }
        return first
    }

    /// Rank 0's text.
    public func broadcast(_ text: String) throws -> String { communicator.broadcast(text, root: 0) }

    /// Waits for every rank.
    public func barrier(_ name: String) throws { communicator.barrier() }

    /// Gathers every rank's outputs and dataset indices on rank 0 and puts them back into
    /// `batches` (the unsharded loader's batches of dataset indices), so the result equals a
    /// one-process predict.
    public func gatherPredictions(_ outputs: [Tensor], indices: [[Int]], batches: [[Int]]) throws -> [Tensor] {
        try PredictionGather(communicator: communicator).gather(outputs, indices: indices, batches: batches)
    }

    /// Ends every process: the other ranks would otherwise wait in their next collective.
    public func runFailed(_ error: Error) {
        // Every rank stops at the same batch for a termination signal: nothing is left waiting.
        if case LightningError.interrupted? = error as? LightningError { return }
        communicator.abort(code: 1, message: "\(error)")
    }

    /// Unregisters the gradient hooks (MPI is finalized when the process exits).
    public func teardown() {
        bucketReducer?.removeHooks()
        bucketReducer = nil
    }
}
