/// How many batches a stage runs on every rank, and which batches of the unsharded loader those
/// are: the one rule that turns `fastDevRun` and `limit*Batches` into numbers. The loops run
/// ``local`` batches, and predict's gather expects exactly ``covered``, so the two cannot disagree.
///
/// As in Lightning under DDP, the limit applies to each rank's own loader (the shard its
/// sampler gives it): a count caps every rank's batches, a fraction takes that share of every
/// rank's shard, and `fastDevRun` n runs n batches on every rank.
struct BatchPlan: Equatable, Sendable {
    /// The batches each rank runs, in rank order.
    let perRank: [Int]
    /// This process's rank.
    let rank: Int
    /// The batches the ranks run, as dataset indices, rank by rank (dataset order for the
    /// contiguous evaluation shards).
    let covered: [[Int]]

    /// The plan for `limit` over every rank's batches (`shards[r]`: rank r's batches as dataset
    /// indices, in the order rank r runs them).
    init(limit: BatchLimit, shards: [[[Int]]], rank: Int) {
        precondition(shards.indices.contains(rank), "BatchPlan: rank \(rank) outside \(shards.count) shards")
        let perRank = shards.map { limit.batches(of: $0.count) }
        self.perRank = perRank
        self.rank = rank
        // Each rank runs the first batches of its own shard, so that prefix is what it covers.
        self.covered = zip(shards, perRank).flatMap { shard, count in shard.prefix(count) }
    }

    /// The limit a stage applies: `fastDevRun` n replaces every stage's limit with the count n,
    /// and a positive `overfit` (`overfitBatches`, given for training and validation only)
    /// replaces both, as Lightning's `_init_debugging_flags` does.
    static func limit(_ stageLimit: BatchLimit, fastDevRun: Int, overfit: BatchLimit? = nil) -> BatchLimit {
        if let overfit, overfit.isPositive { return overfit }
        return fastDevRun > 0 ? .count(fastDevRun) : stageLimit
    }

    /// This process's batches.
    var local: Int { perRank[rank] }
    /// The samples each rank runs, in rank order (the rows it predicts).
    var rowsPerRank: [Int] {
        perRank.indices.map { r in batches(ofRank: r).reduce(0) { $0 + $1.count } }
    }
    /// The batches all ranks run together.
    var total: Int { perRank.reduce(0, +) }
    /// Whether any rank runs a batch: the same answer on every rank, so a stage whose
    /// collectives need every rank runs on all of them even where the own shard is empty.
    var runsOnAnyRank: Bool { total > 0 }

    /// The batches each rank runs when at most `limit` of this plan's run (the sanity check
    /// inside validation's batches).
    func capped(by limit: BatchLimit) -> BatchPlan {
        let shards = perRank.indices.map { r in Array(batches(ofRank: r)) }
        return BatchPlan(limit: limit, shards: shards, rank: rank)
    }

    /// Rank `r`'s batches in ``covered``.
    private func batches(ofRank r: Int) -> ArraySlice<[Int]> {
        let start = perRank[..<r].reduce(0, +)
        return covered[start..<(start + perRank[r])]
    }
}

/// The loaders a Trainer limits: each has its own `limit*Batches`.
enum LimitedLoader: Sendable {
    /// The training loader in `fit` (`limitTrainBatches`).
    case train
    /// Validation in `fit` and `validate` (`limitValBatches`).
    case validation
    /// `test` (`limitTestBatches`).
    case test
    /// `predict` (`limitPredictBatches`).
    case predict
}
