/// What a collective is, packed into one 64-bit word so the watchdog's slot is a single atomic.
package struct CollectiveDescriptor: Equatable, CustomStringConvertible {
    /// The collective operations the watchdog can name.
    package enum Kind: UInt8 {
        case allReduce, allReduceWait, broadcast, allGather, gather, barrier, finalize
    }

    /// Which operation.
    package var kind: Kind
    /// The reduction, for allreduces.
    package var op: ReduceOp?
    /// The element type, where the operation carries data.
    package var element: CollectiveElement?
    /// This rank's element count (at most 2⁴⁰ - 1 is kept).
    package var count: Int

    /// A descriptor of `kind` over `count` elements of `element`.
    package init(_ kind: Kind, op: ReduceOp? = nil, element: CollectiveElement? = nil, count: Int = 0) {
        self.kind = kind
        self.op = op
        self.element = element
        self.count = count
    }

    /// Kind in bits 0-7, op + 1 in 8-15, element + 1 in 16-23, count in 24-63.
    package var packed: UInt64 {
        UInt64(kind.rawValue)
            | UInt64(op.map { $0.rawValue + 1 } ?? 0) << 8
            | UInt64(element.map { $0.rawValue + 1 } ?? 0) << 16
            | UInt64(truncatingIfNeeded: Swift.min(count, 1 << 40 - 1)) << 24
    }

    /// Unpacks ``packed``; `nil` for a word no descriptor packs to.
    package init?(packed: UInt64) {
        guard let kind = Kind(rawValue: UInt8(truncatingIfNeeded: packed)) else { return nil }
        let opBits = UInt8(truncatingIfNeeded: packed >> 8), elementBits = UInt8(truncatingIfNeeded: packed >> 16)
        self.kind = kind
        self.op = opBits == 0 ? nil : ReduceOp(rawValue: opBits - 1)
        self.element = elementBits == 0 ? nil : CollectiveElement(rawValue: elementBits - 1)
        self.count = Int(packed >> 24)
    }

    /// How the watchdog names it: `allReduce(mean, 535818 × float32)`.
    package var description: String {
        var arguments: [String] = []
        if let op { arguments.append(op.description) }
        if let element { arguments.append("\(count) × \(element)") }
        return "\(kind.name)(\(arguments.joined(separator: ", ")))"
    }
}

extension CollectiveDescriptor.Kind {
    /// The API name a user recognizes.
    var name: String {
        switch self {
        case .allReduce: return "allReduce"
        case .allReduceWait: return "allReduceAsync.wait"
        case .broadcast: return "broadcast"
        case .allGather: return "allGather"
        case .gather: return "gather"
        case .barrier: return "barrier"
        case .finalize: return "MPI_Finalize"
        }
    }
}
