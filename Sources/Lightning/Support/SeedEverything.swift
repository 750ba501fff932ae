/// Seeds every generator a run draws from, so two runs with one seed give identical losses and
/// weights (Lightning's `seed_everything`): the default ``Generator`` (initializations, dropout,
/// and loaders' shuffles, whose seed defaults to it). Returns the seed.
///
/// `workers` is accepted for Lightning's spelling; loader workers are deterministic either way:
/// shuffles are a pure function of seed and epoch, and per-sample transforms
/// (`dataset.map { sample, rng in … }`) draw from a generator seeded by the loader's seed, the
/// epoch and the sample's index, so the same batches come out on every run, with any
/// `numWorkers`, and after a resume.
@discardableResult
public func seedEverything(_ seed: UInt64 = 0, workers: Bool = false) -> UInt64 {
    Generator.default.manualSeed(seed)
    return seed
}
