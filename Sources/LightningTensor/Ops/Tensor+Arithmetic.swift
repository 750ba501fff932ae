/// Elementwise arithmetic with broadcasting.
extension Tensor {
    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        a.requireFloatPair(b, op: "add")
        if case .cuda = a.device { return cudaBinary(.add, a, b, name: "add") }
        let out = Kernels.binary(a, b, op: "add") { $0 + $1 }
        let sa = a.shape, sb = b.shape
        return recorded("add", out, inputs: [a, b]) { g in
            [Kernels.sumTo(g, sa), Kernels.sumTo(g, sb)]
        }
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        a.requireFloatPair(b, op: "sub")
        if case .cuda = a.device { return cudaBinary(.sub, a, b, name: "sub") }
        let out = Kernels.binary(a, b, op: "sub") { $0 - $1 }
        let sa = a.shape, sb = b.shape
        return recorded("sub", out, inputs: [a, b]) { g in
            [Kernels.sumTo(g, sa), Kernels.sumTo(Kernels.map(g) { -$0 }, sb)]
        }
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        a.requireFloatPair(b, op: "mul")
        if case .cuda = a.device { return cudaBinary(.mul, a, b, name: "mul") }
        let out = Kernels.binary(a, b, op: "mul") { $0 * $1 }
        let x = a.detached(), y = b.detached()
        let ra = a.requiresGrad, rb = b.requiresGrad
        return recorded("mul", out, inputs: [a, b]) { g in
            [ra ? Kernels.sumTo(Kernels.binary(g, y, op: "mul") { $0 * $1 }, x.shape) : nil,
             rb ? Kernels.sumTo(Kernels.binary(g, x, op: "mul") { $0 * $1 }, y.shape) : nil]
        }
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        a.requireFloatPair(b, op: "div")
        if case .cuda = a.device { return cudaBinary(.div, a, b, name: "div") }
        let out = Kernels.binary(a, b, op: "div") { $0 / $1 }
        let x = a.detached(), y = b.detached()
        let ra = a.requiresGrad, rb = b.requiresGrad
        return recorded("div", out, inputs: [a, b]) { g in
            var gb: Tensor? = nil
            if rb {
                // d(x/y)/dy = -x / y²
                let q = Kernels.binary(x, y, op: "div") { -$0 / ($1 * $1) }
                gb = Kernels.sumTo(Kernels.binary(g, q, op: "mul") { $0 * $1 }, y.shape)
            }
            return [ra ? Kernels.sumTo(Kernels.binary(g, y, op: "div") { $0 / $1 }, x.shape) : nil, gb]
        }
    }

    /// Negation.
    public static prefix func - (a: Tensor) -> Tensor {
        a.requireDType(.float32, op: "neg")
        if case .cuda = a.device { return a.cudaUnary(.neg, name: "neg") }
        return recorded("neg", Kernels.map(a) { -$0 }, inputs: [a]) { g in [Kernels.map(g) { -$0 }] }
    }

    /// Adds a scalar.
    public static func + (a: Tensor, s: Float) -> Tensor {
        a.requireDType(.float32, op: "add")
        if case .cuda = a.device { return a.cudaUnary(.addScalar, a: s, name: "add") }
        return recorded("add", Kernels.map(a) { $0 + s }, inputs: [a]) { g in [g] }
    }
    /// Adds a scalar.
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }
    /// Subtracts a scalar.
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }
    /// Subtracts from a scalar.
    public static func - (s: Float, a: Tensor) -> Tensor { (-a) + s }

    /// Multiplies by a scalar.
    public static func * (a: Tensor, s: Float) -> Tensor {
        a.requireDType(.float32, op: "mul")
        if case .cuda = a.device { return a.cudaUnary(.mulScalar, a: s, name: "mul") }
        return recorded("mul", Kernels.map(a) { $0 * s }, inputs: [a]) { g in [Kernels.map(g) { $0 * s }] }
    }
    /// Multiplies by a scalar.
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }
    /// Divides by a scalar.
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }

    /// Divides a scalar by each element.
    public static func / (s: Float, a: Tensor) -> Tensor {
        a.requireDType(.float32, op: "div")
        if case .cuda = a.device { return a.cudaUnary(.reciprocal, name: "div") * s }
        let x = a.detached()
        return recorded("div", Kernels.map(a) { s / $0 }, inputs: [a]) { g in
            [Kernels.zip(g, x) { gv, xv in -gv * s / (xv * xv) }]
        }
    }

    /// Stops unless both tensors are float32, naming the op and shapes.
    func requireFloatPair(_ other: Tensor, op: String) {
        requireSameDevice(other, op: op)
        if dtype != .float32 || other.dtype != .float32 {
            tensorFailure(op, "expected float32 tensors, got \(dtype) \(shapeText(shape)) and \(other.dtype) \(shapeText(other.shape))")
        }
    }
}
