import LightningNN

/// Starts reducing buckets of the flat gradient buffer while backward still runs, as PyTorch
/// DDP's `Reducer`: buckets follow reverse parameter order (the layers nearest the loss finish
/// first), and a bucket starts once backward has completed every gradient in it.
///
/// Buckets start strictly in order, so every rank issues its collectives in the same sequence
/// whatever order its hooks happen to run in. Only a backward that `arm()` announced starts
/// buckets: accumulating micro-batches reduce nothing.
final class GradientBucketReducer {
    /// Element ranges of the flat buffer, in the order they start.
    let buckets: [Range<Int>]
    private let entries: [GradientBufferLayout.Entry]
    private let bucketOfEntry: [Int]
    private let sizes: [Int]
    private var pending: [Int]
    private var next = 0
    private var handles: [GradientHookHandle] = []
    private let start: (Range<Int>) -> Void
    private let progress: () -> Void
    /// Whether the current backward pass is followed by a reduction.
    private(set) var isArmed = false

    /// Buckets of at most `capElements` (at least one parameter each) over `layout`; `start`
    /// begins reducing a range, `progress` lets started reductions advance (called at each hook).
    init(layout: GradientBufferLayout, capElements: Int, start: @escaping (Range<Int>) -> Void, progress: @escaping () -> Void) {
        var buckets: [Range<Int>] = [], sizes: [Int] = []
        var bucketOfEntry = [Int](repeating: 0, count: layout.entries.count)
        var upper = layout.entries.last.map { $0.offset + $0.count } ?? 0
        var members = 0
        for index in layout.entries.indices.reversed() {
            let entry = layout.entries[index]
            bucketOfEntry[index] = buckets.count
            members += 1
            if upper - entry.offset >= capElements || index == 0 {
                buckets.append(entry.offset..<upper)
                sizes.append(members)
                upper = entry.offset
                members = 0
            }
        }
        self.buckets = buckets
        self.sizes = sizes
        self.pending = sizes
        self.bucketOfEntry = bucketOfEntry
        self.entries = layout.entries
        self.start = start
        self.progress = progress
        for index in layout.entries.indices {
            handles.append(layout.entries[index].parameter.value.registerPostAccumulateGradHook { [weak self] in
                self?.gradientReady(index)
            })
        }
    }

    deinit { removeHooks() }

    /// The next backward pass is followed by a reduction: start buckets as they complete.
    func arm() {
        isArmed = true
        pending = sizes
        next = 0
    }

    /// The next backward pass only accumulates: its hooks start nothing.
    func disarm() {
        isArmed = false
    }

    /// After backward: starts every bucket not yet started (gradients backward never reached are
    /// zeros by now) and disarms.
    func startRemaining() {
        while next < buckets.count {
            start(buckets[next])
            next += 1
        }
        isArmed = false
    }

    /// Unregisters the hooks (the strategy is done with this module).
    func removeHooks() {
        for handle in handles { handle.remove() }
        handles = []
    }

    private func gradientReady(_ index: Int) {
        guard isArmed else { return }
        // Reached, but no gradient flowed: the slot's stale contents must not be reduced.
        entries[index].fillMissingGradientWithZeros()
        pending[bucketOfEntry[index]] -= 1
        while next < buckets.count, pending[next] == 0 {
            start(buckets[next])
            next += 1
        }
        progress()
    }
}
