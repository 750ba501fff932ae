import Foundation
import LightningTestSupport
import XCTest

/// `mpirun -n 4 swift-lightning fit` with no flags: one replica per process (oversubscribed on
/// this 2-core machine), rank 0 writing the only log directory and checkpoints. The launch has
/// mpirun's `--timeout` and a hard deadline that kills its process group (see `ProbeRun`).
final class CLIUnderMPITests: XCTestCase {
    func testNoFlagFitUnderFourRanksReachesNinetyFivePercent() throws {
        let directory = makeTemporaryDirectory()
        let run = try ProbeRun.mpirun(ranks: 4, ["fit", "--trainer.default_root_dir", directory.path,
                                                  "--trainer.enable_progress_bar", "false"],
                                      limit: 120, executable: "swift-lightning")
        XCTAssertEqual(run.status, 0, run.output)
        let last = try XCTUnwrap(run.output.split(separator: "\n").last { $0.hasPrefix("val_acc ") }, run.output)
        let accuracy = try XCTUnwrap(Double(last.split(separator: " ")[1]))
        XCTAssertGreaterThanOrEqual(accuracy, 0.95, String(last))
        XCTAssertEqual(run.output.components(separatedBy: "\nval_acc ").count + (run.output.hasPrefix("val_acc ") ? 1 : 0), 2,
                       "only rank 0 prints the summary:\n\(run.output)")
        let versions = try FileManager.default.contentsOfDirectory(atPath: "\(directory.path)/lightning_logs")
        XCTAssertEqual(versions, ["version_0"], "rank 0 picks one version for every rank")
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(directory.path)/lightning_logs/version_0")
        XCTAssertTrue(files.contains("metrics.csv") && files.contains("config.yaml"), "\(files)")
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: "\(directory.path)/lightning_logs/version_0/checkpoints")
        XCTAssertEqual(checkpoints.count, 1, "\(checkpoints)")
        XCTAssertFalse(checkpoints.contains { $0.contains(".tmp-") })
    }

    func testStrategyOptionsReachEveryRank() throws {
        let directory = makeTemporaryDirectory()
        let run = try ProbeRun.mpirun(ranks: 2, ["fit", "--trainer.default_root_dir", directory.path, "--trainer.enable_progress_bar", "false",
                                                  "--trainer.max_epochs", "1", "--trainer.strategy", "ddp", "--trainer.strategy.shared_memory", "false"],
                                      limit: 120, executable: "swift-lightning")
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("Data parallel over 2 processes: gradients averaged by MPI_Allreduce"), run.output)
        let config = try String(contentsOfFile: "\(directory.path)/lightning_logs/version_0/config.yaml", encoding: .utf8)
        XCTAssertTrue(config.contains("class_path: ddp") && config.contains("shared_memory: false"), config)
    }

    func testOneProcessStrategyUnderSeveralRanksIsAnErrorBeforeAnyTraining() throws {
        let directory = makeTemporaryDirectory()
        let run = try ProbeRun.mpirun(ranks: 2, ["fit", "--trainer.default_root_dir", directory.path, "--trainer.strategy", "single_device"],
                                      limit: 60, executable: "swift-lightning")
        XCTAssertNotEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("trainer.strategy: expected auto or ddp under a launch of 2 processes"), run.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(directory.path)/lightning_logs"), "nothing was written")
    }

    func testTwoRanksWriteOneValidMetricsSVG() throws {
        let directory = makeTemporaryDirectory()
        let epochs = 2
        let run = try ProbeRun.mpirun(ranks: 2, ["fit", "--trainer.default_root_dir", directory.path, "--trainer.enable_progress_bar", "false",
                                                  "--trainer.max_epochs", "\(epochs)"],
                                      limit: 120, executable: "swift-lightning")
        XCTAssertEqual(run.status, 0, run.output)
        let logs = "\(directory.path)/lightning_logs"
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: logs), ["version_0"], "rank 0 alone writes the logs")
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(logs)/version_0")
        XCTAssertEqual(files.filter { $0.hasPrefix("metrics.svg") }, ["metrics.svg"], "one picture, no temporary file left: \(files)")
        let curves = try SVGCurves(path: "\(logs)/version_0/metrics.svg")
        let expected = try SVGCurves.expectedPointCounts(csvPath: "\(logs)/version_0/metrics.csv")
        XCTAssertEqual(curves.pointCounts, expected)
        XCTAssertEqual(expected["val_loss"], epochs, "one validation value per epoch")
    }

    func testTwoRanksWriteOneSetOfHistograms() throws {
        let directory = makeTemporaryDirectory()
        let every = 7
        let run = try ProbeRun.mpirun(ranks: 2, ["fit", "--trainer.default_root_dir", directory.path, "--trainer.enable_progress_bar", "false",
                                                  "--trainer.max_epochs", "1", "--trainer.logger", "tensorboard",
                                                  "--trainer.logger.log_histograms_every_n_steps", "\(every)"],
                                      limit: 120, executable: "swift-lightning")
        XCTAssertEqual(run.status, 0, run.output)
        let events = try HistogramOptionTests.eventFile(under: directory.path)
        XCTAssertTrue(try HistogramOptionTests.file(events, contains: "weights/"))
        XCTAssertTrue(try HistogramOptionTests.file(events, contains: "gradients/"))

        // With TensorBoard at hand: each tag once per due step, the steps counted from the epoch's
        // last step (where train_loss_epoch is logged).
        try skipUnlessPython(modules: ["tensorboard"])
        let script = """
            import sys
            from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
            acc = EventAccumulator(sys.argv[1], size_guidance={"histograms": 0, "scalars": 0}); acc.Reload()
            print(acc.Scalars("train_loss_epoch")[-1].step + 1)
            for tag in sorted(acc.Tags()["histograms"]):
                print(tag, " ".join(str(event.step) for event in acc.Histograms(tag)))
            """
        let read = try runPython(script, [events])
        XCTAssertTrue(read.succeeded, read.stderr)
        let lines = read.stdout.split(separator: "\n").map(String.init)
        let steps = try XCTUnwrap(lines.first.flatMap { Int($0) })
        let due = stride(from: 0, to: steps, by: every).map(String.init).joined(separator: " ")
        XCTAssertGreaterThan(lines.count, 1, read.stdout)
        for line in lines.dropFirst() {
            XCTAssertTrue(line.hasPrefix("weights/") || line.hasPrefix("gradients/"), line)
            XCTAssertTrue(line.hasSuffix(" " + due), "\(line): expected steps \(due)")
        }
    }
}
