import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// A classifier with a BatchNorm layer, trained in one process.
final class NormalizedClassifier: LightningModule {
    let net = Sequential(Linear(5, 8), BatchNorm1d(8), ReLU(), Linear(8, 3))

    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
        crossEntropy(logits: net(batch.0), targets: batch.1)
    }

    func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.1, momentum: 0.9)) }
}

/// `Trainer(syncBatchnorm:)`: BatchNorm statistics over every rank's batch. Under `mpirun` the
/// ranks' parts of a batch give one process's whole-batch statistics, running statistics, outputs
/// and gradients; training with the global batch split over 2 ranks reaches one process's weights.
/// Every launch has mpirun's `--timeout` and a hard deadline that kills its process group (see `ProbeRun`).
final class SyncBatchNormTests: XCTestCase {
    lazy var directory = makeTemporaryDirectory()

    /// One process has no other to synchronize with: on gives exactly the weights of off.
    func testSyncInOneProcessEqualsNoSync() throws {
        var results: [Bool: [String: Tensor]] = [:]
        for sync in [false, true] {
            _ = seedEverything(11)
            let model = NormalizedClassifier()
            let generator = Generator(seed: 12)
            let data = TensorDataset(Tensor.randn([40, 5], generator: generator), Tensor.randint(0, 3, [40], generator: generator))
            let trainer = Trainer(maxEpochs: 2, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                                  defaultRootDir: directory.path, logger: false, strategy: SingleDeviceStrategy(), syncBatchnorm: sync)
            try trainer.fit(model, trainDataloaders: DataLoader(data, batchSize: 10))
            results[sync] = model.stateDict()
        }
        let off = try XCTUnwrap(results[false]), on = try XCTUnwrap(results[true])
        XCTAssertEqual(Set(off.keys), Set(on.keys))
        for (name, tensor) in off where tensor.dtype == .float32 { XCTAssertEqual(on[name]?.scalars, tensor.scalars, name) }
    }

    /// 32 rows over 1, 2 (16 + 16) and 3 (10 + 11 + 11) ranks: each rank's outputs, input gradient,
    /// running statistics and evaluation outputs, and the parameter gradients summed over the
    /// ranks, equal one process's whole batch to float32 tolerance (the probe checks and says where not).
    func testRanksGiveTheWholeBatchsStatisticsOutputsAndGradients() throws {
        for ranks in [1, 2, 3] {
            let run = try ProbeRun.mpirun(ranks: ranks, ["sync-batchnorm", "--samples", "32"], limit: 60, executable: "lightning-ddp-probe")
            XCTAssertEqual(run.status, 0, "mpirun -n \(ranks):\n\(run.output)")
            for rank in 0..<ranks {
                XCTAssertTrue(run.output.contains("rank \(rank): rows"), "-n \(ranks): rank \(rank) did not check:\n\(run.output)")
            }
        }
    }

    /// Fit with a global batch of 32 (2 ranks × 16) reaches the weights and running statistics of
    /// one process × 32 with `syncBatchnorm`, and not without it (the check can tell them apart).
    func testTwoRanksTrainLikeOneProcessWithTheWholeBatch() throws {
        func fit(_ ranks: Int, sync: Bool) throws -> [String: Tensor] {
            let out = directory.file("\(ranks)-\(sync).safetensors")
            let run = try ProbeRun.mpirun(ranks: ranks, ["fit", "--out", out, "--batchnorm", "true", "--sync-batchnorm", "\(sync)",
                                                         "--steps", "6", "--epochs", "10", "--samples", "64", "--global-batch", "32",
                                                         "--root", directory.path],
                                          limit: 60, executable: "lightning-ddp-probe")
            XCTAssertEqual(run.status, 0, "mpirun -n \(ranks), sync \(sync):\n\(run.output)")
            return try Safetensors.read(path: out).tensors
        }
        let one = try fit(1, sync: true)
        let synced = try fit(2, sync: true), unsynced = try fit(2, sync: false)
        XCTAssertTrue(one.keys.contains { $0.hasSuffix("running_var") })
        var unsyncedDiffers = false
        for (name, tensor) in one where tensor.dtype == .float32 {
            assertClose(try XCTUnwrap(synced[name]), tensor, rtol: 1e-5, atol: 1e-6, "2 ranks synchronized: \(name)")
            let other = try XCTUnwrap(unsynced[name]).scalars
            if zip(other, tensor.scalars).contains(where: { abs($0 - $1) > 1e-4 * max(1, abs($1)) }) { unsyncedDiffers = true }
        }
        XCTAssertTrue(unsyncedDiffers, "2 unsynchronized ranks reached one process's weights: the comparison cannot see synchronization")
    }
}
