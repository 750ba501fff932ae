import Lightning

/// The `sync-batchnorm` mode: each rank runs its contiguous rows of one batch through a model with
/// a BatchNorm layer synchronized by the strategy, and the whole batch through an unsynchronized
/// copy; its outputs and input gradient must be the whole batch's rows, its running statistics the
/// whole batch's, and the parameter gradients summed over the ranks the whole batch's.
enum SyncBatchNormCheck {
    /// What one step gives.
    struct Step {
        var output: Tensor, inputGradient: Tensor, gradients: [String: Tensor], buffers: [String: Tensor], evaluation: Tensor
    }

    static func run(strategy: any Strategy, samples: Int) throws {
        let rank = strategy.globalRank, world = strategy.worldSize
        let rows = (rank * samples / world)..<((rank + 1) * samples / world)
        let part = try step(rows: rows, samples: samples, statistics: strategy.batchStatistics)
        let whole = try step(rows: 0..<samples, samples: samples, statistics: LocalBatchStatistics())
        let mine = { (t: Tensor) in t.sliced(dim: 0, start: rows.lowerBound, end: rows.upperBound) }
        try compare(part.output, mine(whole.output), "output", rank: rank)
        try compare(part.inputGradient, mine(whole.inputGradient), "input gradient", rank: rank)
        try compare(part.evaluation, mine(whole.evaluation), "evaluation output (running statistics)", rank: rank)
        for (name, buffer) in whole.buffers where buffer.dtype == .float32 {
            try compare(part.buffers[name]!, buffer, name, rank: rank)
        }
        // In name order: a collective per tensor, and every rank must call them in the same order.
        for (name, gradient) in whole.gradients.sorted(by: { $0.key < $1.key }) {
            let summed = part.gradients[name]!.copied()
            try strategy.allReduce(summed, op: .sum)
            try compare(summed, gradient, "\(name) gradient summed over the ranks", rank: rank)
        }
        print("rank \(rank): rows \(rows) match the whole batch of \(samples)")
    }

    /// One training step on `rows` of the data (the loss divided by the whole batch's size, so
    /// each rank's gradients are its share of the whole's), then an evaluation pass.
    static func step(rows: Range<Int>, samples: Int, statistics: any BatchStatisticsReducer) throws -> Step {
        _ = seedEverything(7)
        let model = Sequential(Linear(6, 5), BatchNorm1d(5), Tanh(), Linear(5, 3))
        model.synchronizeBatchNorm(with: statistics)
        let generator = Generator(seed: 8)
        let data = Tensor.randn([samples, 6], generator: generator) * 2 + 0.5
        let weights = Tensor.randn([samples, 3], generator: generator)
        let x = data.sliced(dim: 0, start: rows.lowerBound, end: rows.upperBound).copied().requiringGrad()
        let y = model(x)
        ((y * weights.sliced(dim: 0, start: rows.lowerBound, end: rows.upperBound)).sum() / Float(samples)).backward()
        let evaluation = noGrad { model.eval()(x) }
        return Step(output: y.detached(), inputGradient: x.grad!, gradients: Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.parameter.grad!) }),
                    buffers: Dictionary(uniqueKeysWithValues: model.namedBuffers().map { ($0.name, $0.buffer.value) }), evaluation: evaluation)
    }

    /// Throws naming `what` unless `actual` is within float32 tolerance of `expected`.
    static func compare(_ actual: Tensor, _ expected: Tensor, _ what: String, rank: Int) throws {
        let worst = zip(actual.scalars, expected.scalars).map { abs($0 - $1) - 1e-5 * abs($1) }.max() ?? 0
        guard actual.shape == expected.shape, worst <= 1e-6 else {
            throw LightningError.misconfiguration("probe: rank \(rank): \(what) differs from the whole batch's by \(worst) beyond tolerance")
        }
    }
}
