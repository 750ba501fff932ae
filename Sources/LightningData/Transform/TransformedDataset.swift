/// A dataset whose samples are another dataset's passed through a per-sample transform (random
/// crop, noise, normalization), built by ``Dataset/map(_:)``.
///
/// The transform gets a generator seeded from the loader's seed, the epoch and the sample's
/// index (see ``SampleContext``), so the same loader configuration gives the same samples on
/// every run, with any number of workers, and after a resume. It runs on the loader's worker
/// threads, several at once: it must not mutate state it shares with anything else.
public struct TransformedDataset<Base: Dataset, Element>: Dataset {
    /// The dataset whose samples are transformed.
    public let base: Base
    /// The transform: a base sample and a generator for this sample alone.
    let transform: (Base.Element, Generator) -> Element

    /// The number of samples (the base's).
    public var count: Int { base.count }

    /// Sample `index` transformed with the randomness of seed 0, epoch 0 (a loader passes its own).
    public subscript(index: Int) -> Element {
        sample(at: index, context: SampleContext(seed: 0, epoch: 0))
    }

    /// Sample `index` transformed with the generator `context` gives that index.
    public func sample(at index: Int, context: SampleContext) -> Element {
        checkIndex(index, count: base.count, op: "TransformedDataset")
        return transform(base.sample(at: index, context: context.inner), context.generator(for: index))
    }
}

extension Dataset {
    /// This dataset with `transform` applied to every sample when it is loaded, e.g.
    /// ```swift
    /// let augmented = dataset.map { (sample: (Tensor, Tensor), rng: Generator) in
    ///     (randomCrop(sample.0, rng), sample.1)
    /// }
    /// ```
    /// `rng` is this sample's own generator (see ``TransformedDataset``).
    public func map<T>(_ transform: @escaping (Element, Generator) -> T) -> TransformedDataset<Self, T> {
        TransformedDataset(base: self, transform: transform)
    }
}
