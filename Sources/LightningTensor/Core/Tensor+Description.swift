extension Tensor: CustomStringConvertible, CustomDebugStringConvertible {
    /// A PyTorch-like printout, `tensor([[1.0000, 2.0000], ...], shape: [2, 2])`, elided past 1000
    /// elements; a GPU tensor's values are copied to the host and its device named.
    public var description: String {
        let maxItems = 6
        let values: (Int) -> String
        let host = device.isCPU ? self : hostCopy()
        switch dtype {
        case .float32:
            let p = host.floats
            values = { i in Tensor.format(p[i]) }
        case .int64:
            let p = host.int64s
            values = { i in String(p[i]) }
        }
        func render(_ dim: Int, _ base: Int, _ indent: String) -> String {
            if dim == shape.count { return values(base) }
            let n = shape[dim]
            let stride = shape[(dim + 1)...].reduce(1, *)
            let elide = count > 1000 && n > maxItems
            var parts: [String] = []
            for i in 0..<n {
                if elide && i == maxItems / 2 { parts.append("..."); continue }
                if elide && i > maxItems / 2 && i < n - maxItems / 2 { continue }
                parts.append(render(dim + 1, base + i * stride, indent + " "))
            }
            let sep = dim == shape.count - 1 ? ", " : ",\n" + indent + " "
            return "[" + parts.joined(separator: sep) + "]"
        }
        var text = "tensor(" + render(0, 0, "       ")
        if dtype == .int64 { text += ", dtype: int64" }
        if shape.count != 1 || count > 1000 { text += ", shape: \(shapeText(shape))" }
        if !device.isCPU { text += ", device: \(device)" }
        if let fn = gradFn { text += ", gradFn: \(fn.op)" } else if requiresGrad { text += ", requiresGrad: true" }
        return text + ")"
    }

    /// Same as `description`.
    public var debugDescription: String { description }

    static func format(_ x: Float) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        let magnitude = Swift.abs(x)
        if magnitude != 0 && (magnitude >= 1e6 || magnitude < 1e-4) { return "\(x)" }
        let scaled = (Double(x) * 10000).rounded() / 10000
        var s = String(format4: scaled)
        if !s.contains(".") { s += ".0" }
        return s
    }
}

extension String {
    /// Fixed four decimals without Foundation.
    init(format4 value: Double) {
        let negative = value < 0
        let units = Int((Swift.abs(value) * 10000).rounded())
        let whole = units / 10000, frac = units % 10000
        var fracText = String(frac)
        while fracText.count < 4 { fracText = "0" + fracText }
        self = (negative && units != 0 ? "-" : "") + "\(whole).\(fracText)"
    }
}
