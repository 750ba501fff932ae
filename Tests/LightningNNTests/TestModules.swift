import XCTest
@testable import LightningNN

/// `y = x * weight + bias` elementwise: a layer with parameters but no dependence on the lead's layers.
final class Affine: Module {
    let weight: Parameter
    let bias: Parameter?

    init(_ n: Int, bias: Bool = true, start: Float = 1) {
        weight = Parameter(Tensor((0..<n).map { start + Float($0) }))
        self.bias = bias ? Parameter(Tensor.zeros([n])) : nil
    }

    override func forward(_ input: Tensor) -> Tensor {
        let scaled = input * weight.value
        guard let bias else { return scaled }
        return scaled + bias.value
    }
}

/// A BatchNorm-like module: a parameter and running statistics in buffers, plus a non-persistent one.
final class Normalizer: Module {
    let weight = Parameter(Tensor.ones([2]))
    let runningMean = Buffer(Tensor.zeros([2]))
    let numBatchesTracked = Buffer(Tensor(shape: [], int64Scalars: [0]))
    let scratch = Buffer(Tensor.zeros([3]), persistent: false)

    override func forward(_ input: Tensor) -> Tensor { input * weight.value }
}

/// Records the order of calls, for Sequential.
final class Recorder: Module {
    let tag: String
    let log: LogBox
    init(_ tag: String, _ log: LogBox) { self.tag = tag; self.log = log }
    override func forward(_ input: Tensor) -> Tensor {
        log.entries.append(tag)
        return input + 1
    }
}

/// A shared call log.
final class LogBox { var entries: [String] = [] }

/// A model exercising every kind of member: nested modules, arrays, optionals, dictionaries,
/// Sequential, a lazy property, a direct parameter and a buffer, and ignored properties.
class Composite: Module {
    let scale = Parameter(Tensor([2] as [Float]))
    let encoder = Affine(3)
    let blocks: [Affine] = [Affine(2, bias: false), Affine(2)]
    let maybe: Affine? = Affine(1)
    let absent: Affine? = nil
    let heads: [String: Affine] = ["b": Affine(1), "a": Affine(1, bias: false)]
    let net = Sequential(Affine(2), Normalizer())
    lazy var lazyHead = Affine(1)
    let step = Buffer(Tensor(shape: [], int64Scalars: [7]))
    let notAMember: [Float] = Array(repeating: 0, count: 100_000)
    let label = "ignored"
    let plainTensor = Tensor([1, 2] as [Float])  // a Tensor that is neither Parameter nor Buffer is not state

    override func forward(_ input: Tensor) -> Tensor { net(input) }
}

/// A subclass adds members after its superclass's.
final class ExtendedComposite: Composite {
    let extra = Affine(1)
}

/// A child holding a back reference to its parent.
final class Child: Module {
    weak var parent: Module?
    let w = Parameter(Tensor([1] as [Float]))
}

final class Parent: Module {
    let child = Child()
    override init() {
        super.init()
        child.parent = self
    }
}

/// Two modules sharing one parameter object (tied weights).
final class Tied: Module {
    let first: Affine
    let second: Affine
    override init() {
        first = Affine(2)
        second = first
    }
}

/// Names of `(name, x)` pairs.
func names<T>(_ pairs: [(name: String, T)]) -> [String] { pairs.map(\.name) }
