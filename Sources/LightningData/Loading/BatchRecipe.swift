/// How a loader turns one batch's dataset indices into a batch: the dataset's whole-batch path
/// when it has one (``Dataset/batch(at:)``: tensor rows copied straight into the batch), else
/// sample by sample (transforms included) and then collated, as a ``SampleAssembly`` that
/// several threads can share.
struct BatchRecipe<Batch> {
    /// The whole batch in one go, or `nil` when the dataset has no such path.
    let gather: ([Int]) -> Batch?
    /// The batch's samples as separately buildable units.
    let assemble: ([Int], SampleContext) -> SampleAssembly<Batch>

    /// A recipe drawing samples from `dataset` and collating them with `collate`, trying
    /// `gather` first (only the default collation builds what ``Dataset/batch(at:)`` builds).
    init<D: Dataset>(_ dataset: D, gather: @escaping ([Int]) -> Batch? = { _ in nil },
                     collate: @escaping ([D.Element]) -> Batch) {
        self.gather = gather
        assemble = { indices, context in
            SampleAssembly(indices: indices, context: context, sample: dataset.sample(at:context:), collate: collate)
        }
    }

    /// Starts the batch of `indices`: gathered whole, or an assembly of its samples.
    func start(_ indices: [Int], context: SampleContext) -> BatchStart<Batch> {
        if let batch = gather(indices) { return .whole(batch) }
        return .samples(assemble(indices, context))
    }

    /// The batch of `indices` (never empty), built entirely on the calling thread.
    func build(_ indices: [Int], context: SampleContext) -> Batch {
        switch start(indices, context: context) {
        case .whole(let batch): return batch
        case .samples(let assembly): return assembly.buildRemaining()!
        }
    }
}

/// What starting a batch gave.
enum BatchStart<Batch> {
    /// The finished batch: the dataset gathers whole batches in one go.
    case whole(Batch)
    /// The batch's samples, which any thread can build.
    case samples(SampleAssembly<Batch>)
}
