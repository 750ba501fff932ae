import Lightning
import LightningCUDA
import LightningTestSupport
import XCTest

/// Which device each rank trains on, decided from what the node has (availability reports of
/// the kind the loader produces; no GPU needed), and the Trainer moving the module and batches.
final class DevicePlacementTests: XCTestCase {
    private let h200 = CUDADeviceProperties(name: "NVIDIA H200", major: 9, minor: 0, totalMemory: 141 << 30)
    private let loaded = CUDAAvailability.Status.loaded(path: "lib", version: "13")

    private func node(gpus: Int, visible: String? = nil) -> CUDAAvailability {
        CUDAAvailability(driver: loaded, devices: Array(repeating: h200, count: gpus), nvrtc: loaded, cublas: loaded, visibleDevices: visible)
    }

    private func place(_ accelerator: String, rank: Int = 0, ranks: Int = 1, sharing: Bool = false, autoGPU: Bool = true,
                       _ availability: CUDAAvailability) -> Result<DevicePlacement, DevicePlacementProblem> {
        DevicePlacement.resolve(accelerator: accelerator, localRank: rank, localWorldSize: ranks, allowDeviceSharing: sharing,
                                autoChoosesGPU: autoGPU, availability: { availability })
    }

    func testEachLocalRankTakesItsGPU() throws {
        for rank in 0..<4 {
            XCTAssertEqual(try place("gpu", rank: rank, ranks: 4, node(gpus: 4)).get().device, .cuda(rank))
            XCTAssertEqual(try place("cuda", rank: rank, ranks: 4, node(gpus: 4)).get().device, .cuda(rank), "cuda is gpu")
        }
    }

    func testMoreRanksThanGPUsIsAnErrorUnlessSharingIsAllowed() throws {
        guard case .failure(let problem) = place("gpu", rank: 1, ranks: 2, node(gpus: 1)) else { return XCTFail("two ranks on one GPU") }
        XCTAssertEqual(problem.description, "accelerator 'gpu': 2 ranks on this node but 1 GPU visible; start at most 1 rank per node, "
                       + "or set allowDeviceSharing (--trainer.allow_device_sharing true) to let ranks share GPUs")
        let shared = try place("gpu", rank: 1, ranks: 2, sharing: true, node(gpus: 1)).get()
        XCTAssertEqual(shared.device, .cuda(0))
        XCTAssertTrue(shared.note?.contains("shared by 2 ranks on 1 GPU") == true, shared.note ?? "")
        // Three ranks on two GPUs: rank r on GPU r mod 2.
        XCTAssertEqual(try (0..<3).map { try place("gpu", rank: $0, ranks: 3, sharing: true, node(gpus: 2)).get().device }, [.cuda(0), .cuda(1), .cuda(0)])
    }

    func testCUDAVisibleDevicesNamesThePhysicalGPU() throws {
        // The driver renumbers what CUDA_VISIBLE_DEVICES leaves: ordinal 1 is the second listed GPU.
        let placement = try place("gpu", rank: 1, ranks: 2, node(gpus: 2, visible: "2,3")).get()
        XCTAssertEqual(placement.device, .cuda(1))
        XCTAssertEqual(placement.note, "cuda:1 (NVIDIA H200, compute capability 9.0), GPU 3 of CUDA_VISIBLE_DEVICES=2,3")
        XCTAssertEqual(DevicePlacement.physicalGPU(0, visibleDevices: "GPU-8f2a, GPU-11c0"), "GPU-8f2a")
        XCTAssertNil(DevicePlacement.physicalGPU(0, visibleDevices: nil))
        guard case .failure(let problem) = place("gpu", rank: 0, ranks: 2, node(gpus: 1, visible: "5")) else { return XCTFail() }
        XCTAssertTrue(problem.description.contains("1 GPU visible (CUDA_VISIBLE_DEVICES=\"5\")"), problem.description)
    }

    func testWhatIsMissingIsNamed() {
        let cases: [(CUDAAvailability, String)] = [
            (CUDAAvailability(driver: .missing("libcuda.so.1: cannot open shared object file")), "no CUDA driver"),
            (CUDAAvailability(driver: loaded, devices: [], nvrtc: loaded, cublas: loaded), "no CUDA device"),
            (CUDAAvailability(driver: loaded, devices: [h200], nvrtc: loaded, cublas: .missing("not found")), "no cuBLAS"),
        ]
        for (availability, missing) in cases {
            guard case .failure(let problem) = place("gpu", availability) else { XCTFail(missing); continue }
            XCTAssertTrue(problem.description.hasPrefix("accelerator 'gpu': \(missing)"), problem.description)
        }
    }

    func testAutoAndCPU() throws {
        var asked = 0
        let counting: () -> CUDAAvailability = { asked += 1; return self.node(gpus: 1) }
        XCTAssertEqual(try DevicePlacement.resolve(accelerator: "cpu", localRank: 0, localWorldSize: 1, allowDeviceSharing: false,
                                                   availability: counting).get().device, .cpu)
        XCTAssertEqual(try DevicePlacement.resolve(accelerator: "auto", localRank: 0, localWorldSize: 1, allowDeviceSharing: false,
                                                   autoChoosesGPU: false, availability: counting).get().device, .cpu)
        XCTAssertEqual(asked, 0, "cpu, and auto while GPU training is incomplete, never look for CUDA")
        XCTAssertEqual(try place("auto", node(gpus: 1)).get().device, .cuda(0), "auto takes a usable GPU")
        let noGPU = try place("auto", CUDAAvailability(driver: .missing("none"))).get()
        XCTAssertEqual(noGPU.device, .cpu)
        XCTAssertTrue(noGPU.note?.contains("no CUDA driver") == true)
        XCTAssertEqual(try place("auto", rank: 1, ranks: 2, node(gpus: 1)).get().device, .cpu, "too few GPUs: auto keeps to the CPU")
        guard case .failure(let problem) = place("tpu", node(gpus: 1)) else { return XCTFail() }
        XCTAssertEqual(problem.description, "accelerator 'tpu' is not one of auto, cpu, gpu, cuda ('auto' picks a usable GPU, else the CPU)")
    }

    /// The Trainer reports a missing GPU as an argument problem, before any run.
    func testTheTrainerReportsWhatIsMissing() throws {
        let directory = makeTemporaryDirectory()
        let trainer = Trainer(enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: directory.path, logger: false, accelerator: "gpu")
        if let problem = CUDARuntime.shared.availability.problem {
            XCTAssertEqual(trainer.acceleratorProblem, "accelerator 'gpu': \(problem)")
            XCTAssertEqual(trainer.device, .cpu)
            XCTAssertThrowsError(try trainer.validate(DeviceRecorder(), dataloaders: DeviceRecorder.loader())) { error in
                XCTAssertTrue("\(error)".contains("accelerator 'gpu'"), "\(error)")
            }
        }
        XCTAssertNil(Trainer(logger: false, accelerator: "cpu").acceleratorProblem)
    }

    /// On a GPU (the fake driver's), the Trainer moves the module after setup and every batch
    /// before its step.
    func testTheTrainerMovesTheModuleAndEveryBatch() throws {
        try FakeCUDADriver.installed(deviceCount: 1) { _ in
            let directory = makeTemporaryDirectory()
            let trainer = Trainer(enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                                  defaultRootDir: directory.path, logger: false, accelerator: "gpu")
            XCTAssertNil(trainer.acceleratorProblem)
            XCTAssertEqual(trainer.device, .cuda(0))
            let model = DeviceRecorder()
            try trainer.validate(model, dataloaders: DeviceRecorder.loader())
            XCTAssertEqual(model.seen, Array(repeating: "cuda:0 cuda:0 cuda:0", count: 3))
        }
    }
}

/// Records, in each validation step, where its batch's tensors and its weight are.
final class DeviceRecorder: LightningModule {
    let fc = Linear(2, 1)
    var seen: [String] = []

    static func loader() -> DataLoader<(Tensor, Tensor)> {
        DataLoader(TensorDataset(Tensor.zeros([6, 2]), Tensor(labels: [0, 1, 0, 1, 0, 1])), batchSize: 2)
    }

    override func forward(_ x: Tensor) -> Tensor { fc(x) }
    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor { fatalError("not trained") }
    func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
        seen.append("\(batch.0.device) \(batch.1.device) \(fc.weight.value.device)")
    }
    func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.1)) }
}
