import Foundation

/// The profiler's tables: one rank's actions (Lightning's SimpleProfiler report) and, under
/// several processes, each action's fastest and slowest rank.
enum ProfileReport {
    /// Lightning's report: the total, then every action by total time, longest first, with its
    /// mean, calls, total and share of the stage's `duration`.
    static func table(stage: String, actions: [ProfiledAction], duration: Double) -> String {
        let sorted = actions.sorted { $0.total != $1.total ? $0.total > $1.total : $0.name < $1.name }
        let calls = actions.reduce(0) { $0 + $1.count }
        var rows = [["Total", "-", "\(calls)", format(duration), "100 %"]]
        for action in sorted {
            let share = duration > 0 ? action.total / duration * 100 : 0
            rows.append([action.name, format(action.mean), "\(action.count)", format(action.total), fixed(share, 3)])
        }
        return "\(stage.uppercased()) Profiler Report\n\n"
            + grid(["Action", "Mean duration (s)", "Num calls", "Total time (s)", "Percentage %"], rows, ruleAfterFirst: true)
    }

    /// One action's mean per call on its fastest and its slowest rank.
    struct Spread: Equatable {
        var name: String
        var fastestRank: Int
        var fastestMean: Double
        var slowestRank: Int
        var slowestMean: Double
    }

    /// Each action's fastest and slowest rank by mean duration, among the ranks that ran it
    /// (`perRank[r]` is rank `r`'s actions), by the slowest rank's total, longest first.
    static func spreads(_ perRank: [[ProfiledAction]]) -> [Spread] {
        var byName: [String: [(rank: Int, action: ProfiledAction)]] = [:]
        for (rank, actions) in perRank.enumerated() {
            for action in actions where action.count > 0 { byName[action.name, default: []].append((rank, action)) }
        }
        let spreads = byName.map { name, ranks -> (Spread, Double) in
            // Ties go to the lower rank, so the table does not depend on gather order.
            let fastest = ranks.min { ($0.action.mean, $0.rank) < ($1.action.mean, $1.rank) }!
            let slowest = ranks.max { ($0.action.mean, -$0.rank) < ($1.action.mean, -$1.rank) }!
            return (Spread(name: name, fastestRank: fastest.rank, fastestMean: fastest.action.mean,
                           slowestRank: slowest.rank, slowestMean: slowest.action.mean), slowest.action.total)
        }
        return spreads.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.name < $1.0.name }.map(\.0)
    }

    /// The ranks table: which rank is fastest and slowest at each action, and by how much.
    static func ranksTable(_ perRank: [[ProfiledAction]]) -> String {
        let rows = spreads(perRank).map { s in
            [s.name, "\(s.fastestRank)", format(s.fastestMean), "\(s.slowestRank)", format(s.slowestMean),
             s.fastestMean > 0 ? fixed(s.slowestMean / s.fastestMean, 2) : "-"]
        }
        return "Ranks: mean duration per call on the fastest and the slowest of \(perRank.count) ranks\n\n"
            + grid(["Action", "Fastest rank", "Mean (s)", "Slowest rank", "Mean (s)", "Slowest / fastest"], rows, ruleAfterFirst: false)
    }

    /// One rank's actions as text for a gather: a line of calls, seconds and name per action.
    static func encode(_ actions: [ProfiledAction]) -> String {
        actions.map { "\($0.count)\t\($0.total)\t\($0.name)" }.joined(separator: "\n")
    }

    /// The actions ``encode(_:)`` wrote.
    static func decode(_ text: String) -> [ProfiledAction] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, let count = Int(fields[0]), let total = Double(fields[1]) else { return nil }
            return ProfiledAction(name: String(fields[2]), count: count, total: total)
        }
    }

    private static func format(_ seconds: Double) -> String { fixed(seconds, 6) }

    /// `value` with `digits` decimals (Foundation's `String(format:)` costs milliseconds over a
    /// table, which a short run's report would pay on every stage).
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return "\(value)" }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale), fraction = units % UInt64(scale)
        let decimals = String(fraction)
        let sign = value < 0 && units > 0 ? "-" : ""
        return digits == 0 ? sign + String(whole) : sign + String(whole) + "." + String(repeating: "0", count: digits - decimals.count) + decimals
    }

    /// Columns padded to their widest cell between rules of dashes.
    private static func grid(_ header: [String], _ rows: [[String]], ruleAfterFirst: Bool) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            "|  " + cells.enumerated().map { i, cell in cell + String(repeating: " ", count: widths[i] - cell.count) }.joined(separator: "  |  ") + "  |"
        }
        let rule = String(repeating: "-", count: line(header).count)
        var lines = [rule, line(header), rule]
        for (i, row) in rows.enumerated() {
            lines.append(line(row))
            if i == 0 && ruleAfterFirst { lines.append(rule) }
        }
        lines.append(rule)
        return lines.joined(separator: "\n") + "\n"
    }
}
