@testable import Lightning
import XCTest

// Launches no process.

/// The stop rule as a table: the Trainer's stopping arguments and where training is, against
/// whether fit ends (and why), whether the epoch in progress ends, and whether a requested stop waits.
final class StopRuleTests: XCTestCase {
    struct Arguments {
        var maxEpochs: Int? = nil
        var maxSteps: Int? = nil
        var minEpochs: Int? = nil
        var minSteps: Int? = nil
        var fastDevRun = 0

        var rule: StopRule {
            StopRule(maxEpochs: maxEpochs, maxSteps: maxSteps, minEpochs: minEpochs, minSteps: minSteps, fastDevRun: fastDevRun)
        }
    }

    struct Row {
        var name: String
        var arguments: Arguments
        var epoch = 0
        var step = 0
        var requested = false
        var trainingBatches = 4
        var fitStop: FitStop?
        var endsEpoch: Bool
        var defers = false
    }

    /// Lightning's default epoch budget when neither maxEpochs nor maxSteps is given.
    static let defaultMaxEpochs = 1000

    let rows: [Row] = [
        Row(name: "nothing reached", arguments: .init(maxEpochs: 3), epoch: 2, step: 10, fitStop: nil, endsEpoch: false),
        Row(name: "maxEpochs reached", arguments: .init(maxEpochs: 3), epoch: 3, step: 12, fitStop: .maxEpochs(3), endsEpoch: false),
        Row(name: "maxEpochs -1 has no limit", arguments: .init(maxEpochs: -1), epoch: 5000, fitStop: nil, endsEpoch: false),
        Row(name: "default epochs", arguments: .init(), epoch: defaultMaxEpochs, fitStop: .maxEpochs(defaultMaxEpochs), endsEpoch: false),
        Row(name: "below the default epochs", arguments: .init(), epoch: defaultMaxEpochs - 1, fitStop: nil, endsEpoch: false),
        Row(name: "maxSteps -1 keeps the default epochs", arguments: .init(maxSteps: -1), epoch: defaultMaxEpochs, step: 1_000_000,
            fitStop: .maxEpochs(defaultMaxEpochs), endsEpoch: false),
        Row(name: "maxSteps alone lifts the epoch limit", arguments: .init(maxSteps: 10), epoch: defaultMaxEpochs, step: 9, fitStop: nil, endsEpoch: false),
        Row(name: "maxSteps reached mid-epoch", arguments: .init(maxSteps: 10), epoch: 2, step: 10, fitStop: .maxSteps(10), endsEpoch: true),
        Row(name: "maxSteps before maxEpochs", arguments: .init(maxEpochs: 2, maxSteps: 10), epoch: 2, step: 10, fitStop: .maxSteps(10), endsEpoch: true),
        Row(name: "maxSteps beats minEpochs", arguments: .init(maxSteps: 10, minEpochs: 5), epoch: 1, step: 10, fitStop: .maxSteps(10), endsEpoch: true),
        Row(name: "fastDevRun is one epoch", arguments: .init(maxEpochs: 10, fastDevRun: 2), epoch: 1, step: 1, fitStop: .maxEpochs(1), endsEpoch: false),
        Row(name: "fastDevRun n is n steps", arguments: .init(maxEpochs: 10, fastDevRun: 2), epoch: 0, step: 2, fitStop: .maxSteps(2), endsEpoch: true),
        Row(name: "requested stop", arguments: .init(maxEpochs: 10), epoch: 1, step: 4, requested: true, fitStop: .requested, endsEpoch: true),
        Row(name: "requested before minEpochs", arguments: .init(maxEpochs: 10, minEpochs: 3), epoch: 2, step: 8, requested: true,
            fitStop: nil, endsEpoch: false, defers: true),
        Row(name: "requested at minEpochs", arguments: .init(maxEpochs: 10, minEpochs: 3), epoch: 3, step: 12, requested: true,
            fitStop: .requested, endsEpoch: true),
        Row(name: "requested before minSteps", arguments: .init(maxEpochs: 10, minSteps: 6), epoch: 1, step: 5, requested: true,
            fitStop: nil, endsEpoch: false, defers: true),
        Row(name: "requested at minSteps", arguments: .init(maxEpochs: 10, minSteps: 6), epoch: 1, step: 6, requested: true,
            fitStop: .requested, endsEpoch: true),
        Row(name: "both minimums, one unmet", arguments: .init(maxEpochs: 10, minEpochs: 1, minSteps: 6), epoch: 2, step: 5, requested: true,
            fitStop: nil, endsEpoch: false, defers: true),
        Row(name: "no training batches", arguments: .init(maxEpochs: 10), trainingBatches: 0, fitStop: .noTrainingBatches, endsEpoch: false),
    ]

    func testTable() {
        for row in rows {
            let rule = row.arguments.rule
            let state = StopRule.State(epoch: row.epoch, step: row.step, stopRequested: row.requested)
            XCTAssertEqual(rule.fitStop(state, trainingBatches: row.trainingBatches), row.fitStop, row.name)
            XCTAssertEqual(rule.endsEpoch(state), row.endsEpoch, row.name)
            XCTAssertEqual(rule.defersRequestedStop(state), row.defers, row.name)
            XCTAssertEqual(rule.honorsRequestedStop(state), row.requested && !row.defers, row.name)
        }
    }

    /// maxTime is a requested stop: its TrainingTimer sets shouldStop, which the rule weighs like
    /// any other request.
    func testMaxTimeStopsThroughARequest() throws {
        let trainer = Trainer(maxEpochs: 5, minEpochs: 2, maxTime: 0, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, logger: false)
        trainer.shouldStop = true
        XCTAssertEqual(trainer.stopState, StopRule.State(epoch: 0, step: 0, stopRequested: true))
        XCTAssertTrue(trainer.stopRule.defersRequestedStop(trainer.stopState), "minEpochs first")
    }
}
