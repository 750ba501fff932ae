import LightningDistributed
/// Where a run's distributed decisions live: which process this is, how data is split, how
/// gradients and metrics are reduced, who writes files (Lightning's `Strategy`).
///
/// The Trainer asks the strategy and never decides these itself, so the single-process run and
/// the data-parallel run share every loop.
public protocol Strategy: AnyObject {
    /// This process's rank among all processes.
    var globalRank: Int { get }
    /// The number of processes.
    var worldSize: Int { get }
    /// This process's rank on its node.
    var localRank: Int { get }

    /// Makes every process's module identical and ready to train (called once the optimizers exist).
    func setup(module: LightningModuleBase) throws
    /// The training loader rank `rank` iterates (padded shards under data parallelism); every
    /// process can ask for any rank's, so all agree on what each runs.
    func trainingLoader<Batch>(_ loader: DataLoader<Batch>, rank: Int) -> DataLoader<Batch>
    /// The evaluation or predict loader rank `rank` iterates (unpadded shards); every process
    /// can ask for any rank's, so predict's gather knows which batches each rank ran.
    func evaluationLoader<Batch>(_ loader: DataLoader<Batch>, rank: Int) -> DataLoader<Batch>
    /// Called just before each training backward pass; `reducing` says whether
    /// ``reduceGradients(module:)`` follows it (not while accumulating gradients).
    func beforeBackward(module: LightningModuleBase, reducing: Bool) throws
    /// Averages the module's gradients across processes (after backward, before the optimizer step).
    func reduceGradients(module: LightningModuleBase) throws
    /// Reduces `values` element-wise across processes in place, as ``Communicator/allReduce(_:op:)``
    /// does (`mean` divides the sum by the world size).
    func allReduce(_ values: inout [Double], op: ReduceOp) throws
    /// The keys every process logged: ranks with none adopt the others'; throws, on every rank,
    /// when ranks that logged disagree (e.g. a metric logged on some ranks only).
    func agreeOnKeys(_ keys: [String], context: String) throws -> [String]
    /// Rank 0's `text` on every process.
    func broadcast(_ text: String) throws -> String
    /// Every process's `text`, by rank, on every process.
    func allGather(_ text: String) throws -> [String]
    /// The Trainer's profiler while a profiled stage runs: the strategy records in it what only it
    /// can measure (the time a rank waits for the others while averaging gradients).
    var profiler: (any Profiler)? { get set }
    /// Rank `root`'s `bytes` on every process (other ranks' bytes are ignored, so counts may
    /// differ); ``broadcast(_:from:)-(T,_)`` sends any `Codable` value this way.
    func broadcast(_ bytes: [UInt8], from root: Int) throws -> [UInt8]
    /// A copy of rank `root`'s `tensor` (shape, dtype and values) on every process; other ranks'
    /// tensors are ignored, so their shapes may differ.
    func broadcast(_ tensor: Tensor, from root: Int) throws -> Tensor
    /// Every process's `tensor` stacked along a new leading dimension of size ``worldSize``
    /// (index = rank), as `torch.distributed.all_gather`; one process returns `tensor`'s values
    /// unchanged, without the extra dimension (as Lightning's `all_gather`). Every process
    /// passes the same shape and dtype. No gradient flows (see ``LightningModuleBase/allGather(_:syncGrads:)``).
    func allGather(_ tensor: Tensor) throws -> Tensor
    /// Reduces a float32 or int64 tensor's values element-wise across processes in place (the
    /// same shape on every process).
    func allReduce(_ tensor: Tensor, op: ReduceOp) throws
    /// Waits for every process.
    func barrier(_ name: String) throws
    /// What sums batch normalization statistics over the processes, installed in every BatchNorm
    /// layer when the Trainer's `syncBatchnorm` is on (this process's batch alone by default).
    var batchStatistics: any BatchStatisticsReducer { get }
    /// Broadcasts what must stay identical across replicas before each training step (buffers).
    func beforeTrainingStep(module: LightningModuleBase) throws
    /// Every process's predictions (with each batch's dataset indices) put back into `batches`,
    /// the unsharded loader's batches, on rank 0; an empty array elsewhere.
    func gatherPredictions(_ outputs: [Tensor], indices: [[Int]], batches: [[Int]]) throws -> [Tensor]
    /// Called when a run fails on this process, before the error propagates; a multi-process
    /// strategy ends the job here so other ranks do not wait in a collective forever.
    func runFailed(_ error: Error)
    /// Releases what `setup` made.
    func teardown()
}

extension Strategy {
    /// Whether this is rank 0, which writes checkpoints and logs.
    public var isGlobalZero: Bool { globalRank == 0 }

    /// The training loader this process iterates.
    public func trainingLoader<Batch>(_ loader: DataLoader<Batch>) -> DataLoader<Batch> { trainingLoader(loader, rank: globalRank) }

    /// The evaluation or predict loader this process iterates.
    public func evaluationLoader<Batch>(_ loader: DataLoader<Batch>) -> DataLoader<Batch> { evaluationLoader(loader, rank: globalRank) }

    /// This process's batch alone: one process has no other to synchronize with.
    public var batchStatistics: any BatchStatisticsReducer { LocalBatchStatistics() }

    /// Nothing to prepare: gradients are reduced after backward, if at all.
    public func beforeBackward(module: LightningModuleBase, reducing: Bool) throws {}
}
