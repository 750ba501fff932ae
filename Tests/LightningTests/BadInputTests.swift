import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// Bad input gets an error naming the problem, and no earlier file is lost.
final class BadInputTests: XCTestCase {
    let scenario = FitScenario(trainCount: 28, trainBatch: 4, valCount: 12, valBatch: 5, maxEpochs: 2, logEveryNSteps: 1, sanitySteps: 0)

    func quietTrainer(_ directory: String, maxEpochs: Int = 2, callbacks: [any Callback] = []) -> Trainer {
        Trainer(maxEpochs: maxEpochs, enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory,
                callbacks: callbacks, logger: false)
    }

    /// A fitted run's last checkpoint.
    func trainedCheckpoint(in directory: TemporaryDirectory) throws -> String {
        let (train, val) = ScenarioData.loaders(scenario)
        let trainer = quietTrainer(directory.path, callbacks: [ModelCheckpoint(dirpath: "\(directory.path)/ckpt", saveLast: true)])
        try trainer.fit(RecordingClassifier(), trainDataloaders: train, valDataloaders: val)
        return "\(directory.path)/ckpt/last.ckpt"
    }

    func message(of body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        XCTFail("expected an error")
        return ""
    }

    func testTruncatedAndFuzzedCheckpointsAreErrorsNamingTheFile() throws {
        let directory = makeTemporaryDirectory()
        let path = try trainedCheckpoint(in: directory)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let (_, val) = ScenarioData.loaders(scenario)
        let truncated = "\(directory.path)/truncated.ckpt"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        let text = message { try self.quietTrainer(directory.path).validate(RecordingClassifier(), dataloaders: val, ckptPath: truncated, verbose: false) }
        XCTAssertTrue(text.contains(truncated), text)

        let generator = Generator(seed: 3)
        for round in 0..<200 {
            var mutated = [UInt8](bytes)
            for _ in 0..<(1 + round % 4) {
                let at = Int(generator.nextInt(in: 0..<Int64(min(mutated.count, 600))))
                mutated[at] = UInt8(truncatingIfNeeded: generator.nextUInt32())
            }
            let fuzzed = "\(directory.path)/fuzzed.ckpt"
            try Data(mutated).write(to: URL(fileURLWithPath: fuzzed))
            // Either it still reads (a mutated value) or it is an error naming the file; never a crash.
            do {
                _ = try CheckpointIO.read(path: fuzzed)
            } catch {
                XCTAssertTrue("\(error)".contains(fuzzed), "\(error)")
            }
        }
    }

    func testCheckpointOfAnotherArchitectureIsAnErrorNamingTheParameter() throws {
        let directory = makeTemporaryDirectory()
        let path = try trainedCheckpoint(in: directory)
        let (_, val) = ScenarioData.loaders(scenario)
        let text = message { try self.quietTrainer(directory.path).validate(RecordingClassifier(hidden: 16), dataloaders: val, ckptPath: path, verbose: false) }
        XCTAssertTrue(text.contains(path) && text.contains("net.0.weight") && text.contains("RecordingClassifier"), text)
    }

    func testMonitoredKeyNeverLoggedIsAnErrorListingTheLoggedKeys() throws {
        let directory = makeTemporaryDirectory()
        let (train, val) = ScenarioData.loaders(scenario)
        let trainer = quietTrainer(directory.path, callbacks: [ModelCheckpoint(monitor: "val_los")])
        let text = message { try trainer.fit(RecordingClassifier(), trainDataloaders: train, valDataloaders: val) }
        XCTAssertTrue(text.contains("'val_los'") && text.contains("val_loss"), text)
    }

    /// The loss turns NaN in the second epoch: EarlyStopping(checkFinite) stops with a reason, and
    /// the first epoch's checkpoint stays the best and loads.
    func testNaNLossStopsWithCheckFiniteAndKeepsTheEarlierCheckpoint() throws {
        final class Poison: Callback {
            func onTrainEpochStart(trainer: Trainer, module: LightningModuleBase) throws {
                guard trainer.currentEpoch == 1 else { return }
                let weight = module.parameters().last!
                weight.value.withUnsafeMutableBufferPointer { $0[0] = .nan }
            }
        }
        let directory = makeTemporaryDirectory()
        let (train, val) = ScenarioData.loaders(scenario)
        let stopper = EarlyStopping(monitor: "val_loss", patience: 10)
        let checkpoint = ModelCheckpoint(dirpath: "\(directory.path)/ckpt", monitor: "val_loss")
        let trainer = quietTrainer(directory.path, maxEpochs: 5, callbacks: [Poison(), stopper, checkpoint])
        try trainer.fit(RecordingClassifier(), trainDataloaders: train, valDataloaders: val)
        XCTAssertEqual(trainer.currentEpoch, 2)
        XCTAssertTrue(stopper.stoppingReason?.contains("not finite") ?? false, stopper.stoppingReason ?? "no reason")
        XCTAssertTrue(checkpoint.bestModelPath.hasSuffix("epoch=0-step=7.ckpt"), checkpoint.bestModelPath)
        let best = try CheckpointIO.read(path: checkpoint.bestModelPath)
        XCTAssertFalse(best.stateDict["net.0.weight"]!.scalars.contains { $0.isNaN })
    }

    /// A save that fails (full disk, read-only directory) throws naming the file, and the previous
    /// checkpoint is still there, complete. Needs root to mount a small tmpfs; skipped otherwise.
    func testFailedSaveOnFullOrReadOnlyDiskKeepsThePreviousCheckpoint() throws {
        for (failure, expected) in [("fill", "No space left"), ("readonly", "Read-only")] {
            let directory = makeTemporaryDirectory()
            let mountPoint = "\(directory.path)/disk"
            try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
            guard shell("mount -t tmpfs -o size=256k tmpfs '\(mountPoint)'") == 0 else {
                throw XCTSkip("cannot mount a tmpfs here (needs root); skipping the full-disk and read-only checks")
            }
            defer { _ = shell("umount -l '\(mountPoint)'") }
            final class BreakDisk: Callback {
                let action: () -> Void
                init(_ action: @escaping () -> Void) { self.action = action }
                func onTrainEpochStart(trainer: Trainer, module: LightningModuleBase) throws {
                    if trainer.currentEpoch == 1 { action() }
                }
            }
            let breaker = BreakDisk {
                if failure == "fill" {
                    _ = self.shell("dd if=/dev/zero of='\(mountPoint)/filler' bs=4k count=1000 2>/dev/null")
                } else {
                    _ = self.shell("mount -o remount,ro '\(mountPoint)'")
                }
            }
            let (train, val) = ScenarioData.loaders(scenario)
            let trainer = quietTrainer(directory.path, callbacks: [breaker, ModelCheckpoint(dirpath: mountPoint, saveLast: true)])
            let text = message { try trainer.fit(RecordingClassifier(), trainDataloaders: train, valDataloaders: val) }
            XCTAssertTrue(text.contains(mountPoint) && text.contains(expected), text)
            let previous = try CheckpointIO.read(path: "\(mountPoint)/last.ckpt")
            XCTAssertEqual(previous.globalStep, 7)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: mountPoint).filter { $0.contains(".tmp-") }
            XCTAssertEqual(leftovers, [])
        }
    }

    @discardableResult
    func shell(_ command: String) -> Int32 {
        (try? ChildProcess.run("/bin/sh", ["-c", command], timeout: 60))?.status ?? -1
    }
}
