import Synchronization

/// One batch under construction, sample by sample, by any number of threads at once.
///
/// Each call to ``buildNext()`` claims the next unbuilt sample and builds it into its own slot;
/// the call that completes the last sample collates the batch. Which thread builds which sample
/// never changes the batch: a sample depends only on its index and the ``SampleContext``, and the
/// slots are collated in index order. A loader's worker starts an assembly and the training
/// thread, when it would otherwise wait for that batch, builds samples of it too.
// Unchecked: slot `k` is written only by the thread that claimed `k` (an atomic counter hands
// each index out once), and read only after `completed` reached `count`; the acquire-release
// increments order every write before the read.
final class SampleAssembly<Batch>: @unchecked Sendable {
    /// Samples in the batch.
    let count: Int
    private let buildSample: (Int) -> Void
    private let collateSlots: () -> Batch
    private let claimed = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)

    /// An assembly of the samples at `indices` drawn in `context`, collated by `collate`.
    init<Element>(indices: [Int], context: SampleContext, sample: @escaping (Int, SampleContext) -> Element,
                  collate: @escaping ([Element]) -> Batch) {
        let slots = SampleSlots<Element>(count: indices.count)
        count = indices.count
        buildSample = { k in slots.store(sample(indices[k], context), at: k) }
        collateSlots = { collate(slots.takeAll()) }
    }

    /// What one ``buildNext()`` call did.
    enum Progress {
        /// Every sample was already claimed: nothing was built.
        case nothingLeft
        /// One sample was built; others are unbuilt or still being built.
        case built
        /// The last sample was built and the batch collated.
        case finished(Batch)
    }

    /// Claims the next unbuilt sample and builds it; the thread that completes the last one also
    /// collates the batch.
    func buildNext() -> Progress {
        let k = claimed.add(1, ordering: .relaxed).oldValue
        guard k < count else { return .nothingLeft }
        buildSample(k)
        let done = completed.add(1, ordering: .acquiringAndReleasing).newValue
        return done == count ? .finished(collateSlots()) : .built
    }

    /// Whether some sample is still unclaimed (another thread could help).
    var hasUnclaimedSamples: Bool { claimed.load(ordering: .relaxed) < count }

    /// Builds samples until none is left to claim; the batch if this thread finished it.
    func buildRemaining() -> Batch? {
        while true {
            switch buildNext() {
            case .nothingLeft: return nil
            case .built: continue
            case .finished(let batch): return batch
            }
        }
    }

    /// Stops handing out samples (the loop ended): claims after this build nothing.
    func cancel() { claimed.store(count, ordering: .relaxed) }
}

/// Storage for a batch's samples, one slot per sample, written by whichever thread built it.
private final class SampleSlots<Element>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Element?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil, count: count)
    }

    func store(_ element: Element, at k: Int) { slots[k] = element }

    /// Every sample, in slot order, leaving the slots empty.
    func takeAll() -> [Element] { (0..<count).map { slots[$0].take()! } }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
}
