/// Seeds every generator a run draws from, so two runs with one seed give identical losses and
/// weights (Lightning's `seed_everything`): the default ``Generator`` (initializations, dropout,
/// and loaders' shuffles, whose seed defaults to it). Returns the seed.
///
/// `workers` is accepted for Lightning's spelling: loader workers here draw nothing random
/// (shuffles are a pure function of seed and epoch), so they are deterministic either way.
@discardableResult
public func seedEverything(_ seed: UInt64 = 0, workers: Bool = false) -> UInt64 {
    Generator.default.manualSeed(seed)
    return seed
}
