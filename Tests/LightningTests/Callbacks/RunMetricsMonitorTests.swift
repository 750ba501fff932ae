import Foundation
import Lightning
import LightningTestSupport
import XCTest

// Every MPI launch here goes through `ProbeRun.mpirun`, which passes mpirun's `--timeout` (its
// `limit:`) and kills the job's process group at a deadline: a hung rank cannot hold the test run.

/// ThroughputMonitor and DeviceStatsMonitor: their keys in metrics.csv, once per logged step, with
/// positive values; under `mpirun -n 2` the job's throughput is the sum of the ranks'.
final class RunMetricsMonitorTests: XCTestCase {
    let scenario = FitScenario(trainCount: 28, trainBatch: 4, valCount: 10, valBatch: 5, maxEpochs: 3, logEveryNSteps: 1, sanitySteps: 0)
    let statsKeys = ["cpu_percent", "cpu_vm_percent", "cpu_swap_percent", "process_resident_mb", "process_cpu_percent"]

    /// The numbers in column `key`, one per row that has it.
    func column(_ csv: CSVRows, _ key: String) -> [Double] {
        csv.rows.compactMap { $0[key].flatMap { $0.isEmpty ? nil : Double($0) } }
    }

    func testKeysAppearOncePerLoggedStepWithPositiveValues() throws {
        let directory = makeTemporaryDirectory()
        let window = 3
        let loaders = ScenarioData.loaders(scenario)
        let trainer = Trainer(maxEpochs: scenario.maxEpochs, numSanityValSteps: 0, logEveryNSteps: 2, enableCheckpointing: false,
                              enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path,
                              callbacks: [ThroughputMonitor(windowSize: window), DeviceStatsMonitor()],
                              logger: .logger(CSVLogger(saveDir: directory.path)))
        let model = RecordingClassifier()
        try trainer.fit(model, trainDataloaders: loaders.train, valDataloaders: loaders.val)
        let csv = try CSVRows(path: "\(trainer.logger!.logDir!)/metrics.csv")
        let steps = trainer.globalStep
        // Steps s (0-based) with (s + 1) % 2 == 0 are logged; each has seen s + 1 batches.
        let logged = (0..<steps).filter { ($0 + 1) % 2 == 0 }
        XCTAssertEqual(column(csv, "train/batches"), logged.map { Double($0 + 1) })
        // Every batch but the epoch's last holds trainBatch samples; the last holds the rest.
        let perEpoch = (scenario.trainCount + scenario.trainBatch - 1) / scenario.trainBatch
        let samplesAfter = { (batches: Int) in
            Double((batches / perEpoch) * self.scenario.trainCount
                   + min(batches % perEpoch * self.scenario.trainBatch, self.scenario.trainCount))
        }
        XCTAssertEqual(column(csv, "train/samples"), logged.map { samplesAfter($0 + 1) })
        XCTAssertEqual(column(csv, "train/samples_per_sec").count, logged.filter { $0 + 1 >= window }.count)
        XCTAssertEqual(column(csv, "train/samples_per_sec"), column(csv, "train/device/samples_per_sec"))
        XCTAssertEqual(column(csv, "train/batches_per_sec"), column(csv, "train/device/batches_per_sec"))
        for key in ["train/time", "train/samples_per_sec", "train/batches_per_sec"] {
            XCTAssertTrue(column(csv, key).allSatisfy { $0 > 0 }, "\(key): \(column(csv, key))")
        }
        XCTAssertEqual(column(csv, "train/time"), column(csv, "train/time").sorted())
        for hook in ["on_train_batch_start", "on_train_batch_end"] {
            for stat in statsKeys {
                let values = column(csv, "DeviceStatsMonitor.\(hook)/\(stat)")
                XCTAssertEqual(values.count, logged.count, "\(hook)/\(stat)")
                switch stat {
                case "cpu_percent", "cpu_swap_percent":
                    // Shares of the machine between two samples: a short interval between clock
                    // ticks can read 0 on an idle machine, never outside [0, 100].
                    XCTAssertTrue(values.allSatisfy { $0 >= 0 && $0 <= 100 }, "\(hook)/\(stat): \(values)")
                case "process_cpu_percent":
                    // CPU time over wall time: up to 100 per core the process's threads use.
                    let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
                    XCTAssertTrue(values.allSatisfy { $0 > 0 && $0 <= 100 * cores + 1 }, "\(hook)/\(stat): \(values)")
                default:
                    XCTAssertTrue(values.allSatisfy { $0 > 0 }, "\(hook)/\(stat): \(values)")
                }
            }
        }
    }

    func testJobThroughputIsTheSumOfTheRanksUnderMPI() throws {
        let directory = makeTemporaryDirectory()
        let steps = 6
        let run = try ProbeRun.mpirun(ranks: 2, ["fit", "--steps", "\(steps)", "--epochs", "5", "--monitors", "true",
                                                 "--out", "\(directory.path)/w.safetensors", "--root", directory.path],
                                      limit: 60, executable: "lightning-ddp-probe")
        XCTAssertEqual(run.status, 0, run.output)
        let path = try XCTUnwrap(FileManager.default.enumerator(atPath: directory.path)?.compactMap { $0 as? String }
            .first { $0.hasSuffix("metrics.csv") })
        let csv = try CSVRows(path: "\(directory.path)/\(path)")
        let rows = csv.rows.filter { !($0["train/samples_per_sec"] ?? "").isEmpty }
        // The probe logs every step and the window holds 2 batches: every step but the first has rates.
        XCTAssertEqual(rows.count, steps - 1)
        for row in rows {
            let value = { (key: String) in Double(row[key] ?? "") ?? .nan }
            for unit in ["samples", "batches"] {
                let ranks = (0..<2).map { value("train/rank_\($0)/\(unit)_per_sec") }
                XCTAssertTrue(ranks.allSatisfy { $0 > 0 }, "\(ranks)")
                XCTAssertEqual(value("train/\(unit)_per_sec"), ranks.reduce(0, +), accuracy: 1e-9 * ranks.reduce(0, +))
                XCTAssertEqual(value("train/device/\(unit)_per_sec"), ranks[0])
            }
        }
        for rank in 0..<2 {
            for stat in ["process_resident_mb", "process_cpu_percent"] {
                let values = column(csv, "DeviceStatsMonitor.on_train_batch_end/rank_\(rank)/\(stat)")
                XCTAssertEqual(values.count, steps)
                XCTAssertTrue(values.allSatisfy { $0 > 0 }, "rank \(rank) \(stat): \(values)")
            }
        }
    }
}
