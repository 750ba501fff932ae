/// Numbers from every rank, for callbacks that report per rank.
extension Strategy {
    /// Every rank's `values` by rank (each rank passes as many): one sum all-reduce of a vector in
    /// which each rank fills its own block with its values and the others with zeros, so the
    /// sum is every rank's values side by side (collective: every rank calls it at the same point).
    func valuesOfEveryRank(_ values: [Double]) throws -> [[Double]] {
        guard worldSize > 1 else { return [values] }
        let n = values.count
        var all = [Double](repeating: 0, count: n * worldSize)
        all.replaceSubrange(globalRank * n..<(globalRank + 1) * n, with: values)
        try allReduce(&all, op: .sum)
        return (0..<worldSize).map { Array(all[$0 * n..<($0 + 1) * n]) }
    }
}
