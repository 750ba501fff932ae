/// A ``TensorDataModule`` over a ``ShardedDataset`` of `(input, target)` samples, whose training
/// loader visits the data in the chosen ``ShardOrder``.
///
/// The train/val/test split is the one every tensor module makes (seeded index lists over the
/// whole dataset). With ``ShardOrder/exact`` everything equals the same module over the data in
/// memory; with ``ShardOrder/shardLocal`` the training loader's sampler is a
/// ``ShardLocalSampler`` over the training samples grouped by shard (the trainer's sharding
/// then asks it for each rank's shards). Evaluation loaders read in dataset order either way,
/// so validation reads the held-out samples of every shard.
public final class ShardedDataModule: TensorDataModule {
    /// The dataset, opened (and checked) before the module is made.
    public let dataset: ShardedDataset<Batch>
    /// How the training loader visits it.
    public let order: ShardOrder

    /// A module over `dataset`, split and seeded like ``TensorDataModule``.
    public init(dataset: ShardedDataset<Batch>, order: ShardOrder = .exact, batchSize: Int = 32, valFraction: Double = 0.1,
                testFraction: Double = 0.1, seed: UInt64 = 0) {
        self.dataset = dataset
        self.order = order
        super.init(batchSize: batchSize, valFraction: valFraction, testFraction: testFraction, seed: seed) { dataset }
    }

    /// The training batches: the shuffled in-memory order (``ShardOrder/exact``) or whole shards
    /// per rank (``ShardOrder/shardLocal``).
    public override func trainDataLoader() throws -> DataLoader<Batch>? {
        guard order == .shardLocal else { return try super.trainDataLoader() }
        if splits == nil { try setup(stage: .fit) }
        guard let train = splits?.train, train.count > 0 else { return nil }
        let sampler = ShardLocalSampler(groups: dataset.shardGroups(of: train.indices), seed: seed)
        return DataLoader(train, batchSize: batchSize, seed: seed, sampler: sampler)
    }
}
