import Foundation

/// Lightning's `strategy.broadcast(obj, src)` and `strategy.barrier(name)` for any value.
extension Strategy {
    /// Rank `root`'s `value` on every process, sent as JSON (every process calls it, with a
    /// value of the same type; other ranks' values are ignored).
    ///
    /// ```swift
    /// let plan = try trainer.strategy.broadcast(Plan(seed: 7), from: 1)
    /// ```
    public func broadcast<T: Codable>(_ value: T, from root: Int = 0) throws -> T {
        let bytes = globalRank == root ? Array(try JSONEncoder().encode(value)) : []
        let received = try broadcast(bytes, from: root)
        return try JSONDecoder().decode(T.self, from: Data(received))
    }

    /// Waits for every process (Lightning's `strategy.barrier(name)`); `name` says which
    /// barrier in messages.
    public func barrier(name: String = "barrier") throws { try barrier(name) }
}
