@testable import Lightning
import XCTest

/// The profiler's tables from given actions: ranks named by their means, numbers formatted,
/// and the gather's text encoding round-trips.
final class ProfileReportTests: XCTestCase {
    func testSpreadsNameTheFastestAndSlowestRankByMean() {
        // Rank 2 runs `step` 4 times in 2 s (0.5 s each), rank 0 once in 1 s, rank 1 twice in 0.4 s.
        let perRank = [[ProfiledAction(name: "step", count: 1, total: 1.0), ProfiledAction(name: "only_rank_0", count: 1, total: 0.1)],
                       [ProfiledAction(name: "step", count: 2, total: 0.4)],
                       [ProfiledAction(name: "step", count: 4, total: 2.0)]]
        let spreads = Dictionary(uniqueKeysWithValues: ProfileReport.spreads(perRank).map { ($0.name, $0) })
        XCTAssertEqual(spreads["step"], ProfileReport.Spread(name: "step", fastestRank: 1, fastestMean: 0.2, slowestRank: 0, slowestMean: 1.0))
        XCTAssertEqual(spreads["only_rank_0"]?.fastestRank, 0)
        XCTAssertEqual(spreads["only_rank_0"]?.slowestRank, 0)
        XCTAssertEqual(ProfileReport.spreads(perRank).first?.name, "step", "longest slowest-rank total first")
    }

    func testEqualMeansNameTheLowestRankBothWays() {
        let same = [ProfiledAction(name: "a", count: 2, total: 1.0)]
        let spread = ProfileReport.spreads([same, same, same])[0]
        XCTAssertEqual(spread.fastestRank, 0)
        XCTAssertEqual(spread.slowestRank, 0)
    }

    func testFixedDecimals() {
        XCTAssertEqual(ProfileReport.fixed(0.0001234, 6), "0.000123")
        XCTAssertEqual(ProfileReport.fixed(12.5, 3), "12.500")
        XCTAssertEqual(ProfileReport.fixed(0.9999996, 6), "1.000000")
        XCTAssertEqual(ProfileReport.fixed(-1.25, 1), "-1.3")
        XCTAssertEqual(ProfileReport.fixed(3, 0), "3")
    }

    func testEncodingRoundTripsNamesWithSpacesAndBrackets() {
        let actions = [ProfiledAction(name: "[Callback]ModelCheckpoint.on_train_epoch_end", count: 3, total: 0.1 + 0.2),
                       ProfiledAction(name: "a name with spaces", count: 1, total: 1e-9)]
        XCTAssertEqual(ProfileReport.decode(ProfileReport.encode(actions)), actions)
    }

    func testTableSharesAreOfTheStageDuration() {
        let table = ProfileReport.table(stage: "fit", actions: [ProfiledAction(name: "x", count: 4, total: 0.5)], duration: 2)
        XCTAssertTrue(table.hasPrefix("FIT Profiler Report"))
        let row = table.split(separator: "\n").first { $0.hasPrefix("|  x ") }.map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        XCTAssertEqual(row, ["x", "0.125000", "4", "0.500000", "25.000"])
    }
}
