extension Communicator {
    /// Whether this is rank 0, the rank that logs, writes checkpoints and decides.
    public var isMain: Bool { rank == 0 }

    /// `root`'s `value` on every rank.
    public func broadcast<Element: CollectiveScalar>(_ value: Element, root: Int) -> Element {
        var value = value
        withUnsafeMutablePointer(to: &value) { broadcast(UnsafeMutableBufferPointer(start: $0, count: 1), root: root) }
        return value
    }

    /// `root`'s `values` on every rank; other ranks' `values` are ignored, so counts may differ.
    public func broadcast<Element: CollectiveScalar>(_ values: [Element], root: Int) -> [Element] {
        let count = Int(broadcast(Int64(values.count), root: root))
        if rank == root {
            // MPI only reads the root's buffer, so the caller's array is sent without a copy.
            values.withUnsafeBufferPointer { broadcast(UnsafeMutableBufferPointer(mutating: $0), root: root) }
            return values
        }
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            broadcast(buffer, root: root)
            initialized = count
        }
    }

    /// `root`'s `string` on every rank (the Trainer sends a log version or JSON this way).
    public func broadcast(_ string: String, root: Int) -> String {
        String(decoding: broadcast(Array(string.utf8), root: root), as: UTF8.self)
    }

    /// A copy of `values` reduced elementwise across ranks (every rank passes the same count).
    public func allReduced<Element: CollectiveScalar>(_ values: [Element], op: ReduceOp) -> [Element] {
        var values = values
        values.withUnsafeMutableBufferPointer { allReduce($0, op: op) }
        return values
    }
}
