/// One recorded operation in the autograd graph.
///
/// `rule` receives the gradient of the operation's output and returns one gradient per input
/// (or `nil` where the input needs none). It captures the inputs or detached outputs it needs,
/// never the output tensor itself (whose meta points back at this node).
public final class Node {
    /// The operation's name (`matmul`, `relu`, ...), for error messages and debugging.
    public let op: String
    var edges: [Edge]
    var rule: ((Tensor, GradientDestinations) -> [Tensor?])?
    var pending: Tensor?
    var dependencies = 0
    var visitMark = 0
    /// The inputs' shapes, kept only under anomaly detection (for ``AnomalyError``).
    var inputShapes: [[Int]]?

    init(op: String, edges: [Edge], rule: @escaping (Tensor, GradientDestinations) -> [Tensor?]) {
        self.op = op
        self.edges = edges
        self.rule = rule
    }

    /// Whether the node still holds its saved tensors (false after `backward()` ran through it).
    public var isAlive: Bool { rule != nil }
}

/// Where an input's gradient flows.
enum Edge {
    case none
    case leaf(AutogradMeta)
    case node(Node)
}

/// Per-input destinations a derivative rule may write its result into (an empty gradient slot
/// of a leaf), so a weight gradient goes straight from `sgemm` into the flat gradient buffer.
public struct GradientDestinations {
    let metas: [AutogradMeta?]

    static var none: GradientDestinations { GradientDestinations(metas: []) }

    /// A writable tensor for input `index`'s gradient, or `nil` (then return a fresh tensor).
    func destination(_ index: Int) -> Tensor? {
        guard index < metas.count, let meta = metas[index] else { return nil }
        // A leaf used twice by one op (A·A) gets two gradients: neither may overwrite the slot.
        for (j, other) in metas.enumerated() where j != index && other === meta { return nil }
        return meta.writableDestination
    }
}
