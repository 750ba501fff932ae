import LightningCUDA
import LightningTestSupport
import XCTest

/// What a GPU run is missing, named in the order a run needs things, and what this machine has.
final class CUDAAvailabilityTests: XCTestCase {
    private let device = CUDADeviceProperties(name: "GPU", major: 9, minor: 0, totalMemory: 1 << 34)
    private let loaded = CUDAAvailability.Status.loaded(path: "/lib", version: "1")

    func testEachMissingPieceIsNamedInOrder() throws {
        let noDriver = CUDAAvailability(driver: .missing("libcuda.so.1: cannot open shared object file"))
        XCTAssertTrue(try XCTUnwrap(noDriver.problem).hasPrefix("no CUDA driver: libcuda.so.1 could not be loaded (libcuda.so.1: cannot open"))

        let noDevice = CUDAAvailability(driver: loaded, devices: [], nvrtc: loaded, cublas: loaded, visibleDevices: "")
        XCTAssertEqual(noDevice.problem, "no CUDA device: the driver shows none to this process (CUDA_VISIBLE_DEVICES=\"\" hides the others)")

        let noNVRTC = CUDAAvailability(driver: loaded, devices: [device], nvrtc: .missing("not found"), cublas: .missing("not found"))
        XCTAssertTrue(try XCTUnwrap(noNVRTC.problem).hasPrefix("no NVRTC"), "NVRTC is needed before cuBLAS")

        let noCuBLAS = CUDAAvailability(driver: loaded, devices: [device], nvrtc: loaded, cublas: .missing("libcublas.so.13: not found"))
        let message = try XCTUnwrap(noCuBLAS.problem)
        XCTAssertTrue(message.hasPrefix("no cuBLAS") && message.contains("libcublas.so.13: not found") && message.contains(CUDALibrarySearch.pathVariable), message)

        let usable = CUDAAvailability(driver: loaded, devices: [device], nvrtc: loaded, cublas: loaded, nccl: .missing("optional"))
        XCTAssertNil(usable.problem, "NCCL is optional")
    }

    /// This machine for real: without a driver, the probe says so and looks for nothing else; with
    /// one (a GPU machine) it lists the devices.
    func testThisMachinesProbe() throws {
        let runtime = CUDARuntime.shared
        switch runtime.availability.driver {
        case .missing:
            XCTAssertTrue(runtime.availability.problem?.hasPrefix("no CUDA driver") == true, runtime.availability.summary)
            XCTAssertNil(runtime.driver)
            XCTAssertThrowsError(try runtime.allocator(for: 0)) { error in
                XCTAssertTrue("\(error)".contains("no CUDA driver"), "\(error)")
            }
        case .loaded:
            XCTAssertEqual(runtime.availability.devices.count, runtime.driver?.deviceCount, runtime.availability.summary)
        }
    }

    func testASummaryListsDevicesAndLibraries() {
        let availability = CUDAAvailability(driver: .loaded(path: "libcuda.so.1", version: "CUDA 13.0"), devices: [device],
                                            nvrtc: loaded, cublas: .missing("gone"), nccl: loaded)
        XCTAssertEqual(availability.summary.split(separator: "\n").map(String.init),
                       ["driver: CUDA 13.0 (libcuda.so.1)", "cuda:0: GPU, compute capability 9.0", "nvrtc: 1 (/lib)",
                        "cublas: missing (gone)", "nccl: 1 (/lib)"])
    }
}
