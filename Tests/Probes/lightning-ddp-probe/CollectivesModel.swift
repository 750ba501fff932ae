import Lightning

/// The `collectives` mode's module: one training step, and in `onTrainStart` every distributed
/// helper is checked against what rank-dependent inputs must give (a failed check throws).
final class CollectivesModel: LightningModule {
    let net = Linear(12, 4)

    /// A value broadcast as JSON.
    struct Plan: Codable, Equatable {
        var name: String
        var values: [Int]
        var rank: Int
    }

    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
        let loss = crossEntropy(logits: net(batch.0), targets: batch.1)
        let rank = trainer?.globalRank ?? 0
        // Every rank calls it: only rank 0's value is kept, unsynced (no mean over ranks).
        log("rank_plus_one", Double(rank + 1), onStep: false, onEpoch: true, rankZeroOnly: true)
        // Only rank 0 calls it: no key agreement may be asked for.
        if rank == 0 { log("zero_only", 7.0, onStep: false, onEpoch: true, rankZeroOnly: true) }
        return loss
    }

    func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.1)) }

    func onTrainStart() throws {
        let trainer = try required(self.trainer, "a trainer")
        let rank = trainer.globalRank, world = trainer.worldSize

        // A tensor of any shape gains a leading world-size dimension, index = rank.
        let local = Tensor(shape: [2, 3], scalars: (0..<6).map { Float(rank * 10 + $0) })
        let gathered = try allGather(local)
        try check(gathered.shape == [world, 2, 3], "gathered shape \(gathered.shape)")
        try check(gathered.scalars == (0..<world).flatMap { r in (0..<6).map { Float(r * 10 + $0) } }, "gathered values \(gathered.scalars)")
        let numbers = try allGather(Double(rank) + 0.5)
        try check(numbers.shape == [world] && numbers.scalars == (0..<world).map { Float($0) + 0.5 }, "gathered numbers \(numbers)")

        // A Codable value and a tensor (whose shape differs per rank) from rank 1.
        let plan = try trainer.strategy.broadcast(Plan(name: "from \(rank)", values: [rank, 2 * rank], rank: rank), from: 1)
        try check(plan == Plan(name: "from 1", values: [1, 2], rank: 1), "broadcast plan \(plan)")
        let sent = try trainer.strategy.broadcast(Tensor.full([rank + 1], Float(rank)), from: 1)
        try check(sent.shape == [2] && sent.scalars == [1, 1], "broadcast tensor \(sent)")
        try trainer.strategy.barrier(name: "collectives")

        // syncGrads: rank r's upstream gradient at [k, i] is (r+1)(k+1) + i, so x's gradient on
        // rank r is Σ_r' ((r'+1)(r+1) + i) = (r+1)·W(W+1)/2 + W·i.
        let x = Tensor(shape: [3], scalars: [1, 2, 3].map { Float($0 * (rank + 1)) }).requiringGrad()
        let all = try allGather(x, syncGrads: true)
        let upstream = Tensor(shape: [world, 3], scalars: (0..<world).flatMap { k in (0..<3).map { Float((rank + 1) * (k + 1) + $0) } })
        (all * upstream).sum().backward()
        let expected = (0..<3).map { Float((rank + 1) * world * (world + 1) / 2 + world * $0) }
        try check(x.grad?.scalars == expected, "syncGrads gradient \(x.grad?.scalars ?? []) expected \(expected)")

        print("module print from rank", rank)
        let zeroOnly = rankZeroOnly { rank }
        try check(zeroOnly == (rank == 0 ? 0 : nil), "rankZeroOnly gave \(String(describing: zeroOnly))")
        Swift.print("rank \(rank) collectives ok")
    }

    func onTrainEnd() throws {
        guard let trainer, trainer.isGlobalZero else { return }
        let metrics = trainer.callbackMetrics
        try check(metrics["rank_plus_one"] == 1 && metrics["zero_only"] == 7, "rank-zero-only metrics \(metrics)")
        Swift.print("rank-zero-only metrics ok")
    }

    private func check(_ condition: Bool, _ what: String) throws {
        guard condition else { throw LightningError.misconfiguration("probe check failed on rank \(trainer?.globalRank ?? -1): \(what)") }
    }

    private func required<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw LightningError.misconfiguration("probe: no \(what)") }
        return value
    }
}
