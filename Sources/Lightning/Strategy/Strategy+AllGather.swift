/// Every process's list of integers, built on ``Strategy/allReduce(_:op:)`` so that any strategy
/// (including a user's own) supports it without a new requirement.
extension Strategy {
    /// `values` of every process, in rank order; every process must call it at the same point.
    ///
    /// Each process fills its own slot of a zeroed vector and the vector is summed: two
    /// allreduces (the longest list, then the slots). Values must stay within ±2^53, where
    /// doubles hold integers exactly (row counts and byte sizes do).
    func allGather(_ values: [Int]) throws -> [[Int]] {
        guard worldSize > 1 else { return [values] }
        var longest = [Double(values.count)]
        try allReduce(&longest, op: .max)
        // Slot layout: the list's length, then its values padded to the longest.
        let width = 1 + Int(longest[0])
        var slots = [Double](repeating: 0, count: width * worldSize)
        slots[globalRank * width] = Double(values.count)
        for (i, value) in values.enumerated() { slots[globalRank * width + 1 + i] = Double(value) }
        try allReduce(&slots, op: .sum)
        return (0..<worldSize).map { rank in
            let start = rank * width
            return (0..<Int(slots[start])).map { Int(slots[start + 1 + $0]) }
        }
    }
}
