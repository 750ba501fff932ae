/// Any dataset of `Element` samples behind one type, so a data module can hold an in-memory
/// ``TensorDataset`` or a mapped ``MappedTensorDataset`` alike. Forwards the fast batch path.
public struct AnyDataset<Element>: Dataset {
    /// The number of samples.
    public let count: Int
    private let sample: (Int) -> Element
    private let gather: ([Int]) -> Element?
    private let draw: (Int, SampleContext) -> Element

    /// Wraps `base` (which it keeps alive).
    public init<Base: Dataset>(_ base: Base) where Base.Element == Element {
        count = base.count
        sample = { base[$0] }
        gather = { base.batch(at: $0) }
        draw = { base.sample(at: $0, context: $1) }
    }

    /// The base's sample `index`.
    public subscript(index: Int) -> Element { sample(index) }

    /// The base's sample `index` drawn in `context`.
    public func sample(at index: Int, context: SampleContext) -> Element { draw(index, context) }

    /// The base's fast batch path.
    public func batch(at indices: [Int]) -> Element? { gather(indices) }
}
