import Foundation
import Lightning
import LightningCUDA
import LightningTestSupport
import XCTest

/// A Trainer on a GPU (the emulated one: the CUDA kernels run on the host, cuBLAS's products by
/// OpenBLAS) trains, validates, clips, drops out and checkpoints as on the CPU: the same losses,
/// metrics and weights within float32 rounding, the module and batches on the GPU throughout.
final class GPUTrainingTests: XCTestCase {
    let loaders = ScenarioData.loaders(FitScenario(trainCount: 48, trainBatch: 8, valCount: 20, valBatch: 10, maxEpochs: 2,
                                                   logEveryNSteps: 1, sanitySteps: 0), shuffle: true)

    /// The GPU allocator's driver allocations after each training step.
    final class AllocationRecorder: Callback {
        var afterStep: [Int] = []
        func onTrainBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: (any TrainingStepOutput)?, batch: Any, batchIndex: Int) throws {
            if case .cuda(let ordinal) = trainer.device {
                afterStep.append(try CUDARuntime.shared.allocator(for: ordinal).statistics.driverAllocations)
            }
        }
    }

    private func fit(_ accelerator: String, in directory: TemporaryDirectory, recorder: AllocationRecorder = AllocationRecorder()) throws
        -> (RecordingClassifier, Trainer) {
        seedEverything(11)
        let model = RecordingClassifier(hidden: 16, lr: 0.2, dropout: 0.25)
        let trainer = Trainer(maxEpochs: 2, numSanityValSteps: 0, logEveryNSteps: 1, gradientClipVal: 0.5, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: directory.path, callbacks: [recorder], logger: false,
                              accelerator: accelerator)
        try trainer.fit(model, trainDataloaders: loaders.train, valDataloaders: loaders.val)
        return (model, trainer)
    }

    func testAFitOnTheGPUMatchesTheCPU() throws {
        guard HostKernelExecutor.compilerAvailable else { throw XCTSkip("no clang++ on PATH to run the CUDA kernels on the host") }
        let cpuDirectory = makeTemporaryDirectory(), gpuDirectory = makeTemporaryDirectory()
        let (cpu, cpuTrainer) = try fit("cpu", in: cpuDirectory)
        try FakeCUDADriver.emulating { _ in
            let recorder = AllocationRecorder()
            let (gpu, gpuTrainer) = try fit("gpu", in: gpuDirectory, recorder: recorder)
            XCTAssertEqual(gpuTrainer.device, .cuda(0))
            XCTAssertTrue(gpu.parameters().allSatisfy { $0.value.device == .cuda(0) })
            XCTAssertEqual(gpu.gradientBuffer?.device, .cuda(0))
            XCTAssertEqual(gpu.trainLosses.count, cpu.trainLosses.count)
            for (g, c) in zip(gpu.trainLosses, cpu.trainLosses) { XCTAssertEqual(g, c, accuracy: 1e-4 * Swift.max(1, abs(c))) }
            for (name, value) in cpu.stateDict() {
                assertClose(try XCTUnwrap(gpu.stateDict()[name]).to(.cpu), value, rtol: 1e-4, atol: 1e-5, name)
            }
            XCTAssertEqual(gpuTrainer.callbackMetrics["val_acc"], cpuTrainer.callbackMetrics["val_acc"])
            XCTAssertEqual(try XCTUnwrap(gpuTrainer.callbackMetrics["val_loss"]), try XCTUnwrap(cpuTrainer.callbackMetrics["val_loss"]), accuracy: 1e-4)
            // The caching allocator: after the first epoch (its steps, validation and checkpoint sized
            // every block) a step asks the driver for nothing.
            let stepsPerEpoch = recorder.afterStep.count / 2
            XCTAssertEqual(Set(recorder.afterStep.suffix(stepsPerEpoch)).count, 1, "driver allocations after each step: \(recorder.afterStep)")
            // The checkpoint holds the GPU weights, written from host memory; it loads into a CPU model.
            let path = try XCTUnwrap(gpuTrainer.checkpointCallback?.bestModelPath)
            let restored = RecordingClassifier(hidden: 16)
            _ = try restored.loadStateDict(try CheckpointIO.read(path: path).stateDict)
            for (name, value) in gpu.stateDict() { XCTAssertEqual(restored.stateDict()[name]?.scalars, value.scalars, name) }
        }
    }
}
