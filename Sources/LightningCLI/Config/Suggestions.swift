/// "Did you mean" for near misses: candidates within a small edit distance, closest first.
enum Suggestions {
    /// Up to three of `candidates` close to `word` (case-insensitive), closest first.
    static func closest(to word: String, among candidates: [String]) -> [String] {
        let target = Array(word.lowercased())
        let limit = max(2, target.count / 3)
        let scored = candidates.compactMap { candidate -> (String, Int)? in
            let lowered = candidate.lowercased()
            if lowered == word.lowercased() { return (candidate, 0) }
            let d = distance(target, Array(lowered))
            // A prefix that is most of the word counts too (`max_epoch` → `max_epochs`).
            let prefix = target.count >= 4 && (lowered.hasPrefix(String(target)) || String(target).hasPrefix(lowered))
            return d <= limit || prefix ? (candidate, d) : nil
        }
        return Array(scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(3).map(\.0))
    }

    /// `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`.
    static func list(_ words: [String]) -> String {
        let quoted = words.map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// neighbours each cost one (`max_epcohs` is one edit from `max_epochs`).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
