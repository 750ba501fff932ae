import Foundation
import LightningCUDA
import XCTest

/// Every kernel source compiles with NVRTC (which needs no GPU) and defines the kernels it
/// declares. CI installs the `nvidia-cuda-nvrtc` wheel; without NVRTC the test skips, saying why.
final class CUDAKernelCompilationTests: XCTestCase {
    /// The architectures checked: Hopper (the GPU machines'), and Volta, the oldest CUDA 13 supports.
    static let architectures = [90, 75]

    func testEveryKernelCompilesToPTX() throws {
        let search = CUDALibrarySearch(environment: ProcessInfo.processInfo.environment) {
            (try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? []
        }
        let compiler: NVRTCCompiler
        switch NVRTCCompiler.load(search: search) {
        case .success(let loaded): compiler = loaded
        case .failure(let reason): throw XCTSkip("NVRTC not found (pip install nvidia-cuda-nvrtc): \(reason)")
        }
        print("compiling \(CUDAKernelSource.all.count) kernel sources with \(compiler.identity) from \(compiler.libraryPath)")
        for source in CUDAKernelSource.all {
            for architecture in Self.architectures {
                let ptx: String
                do { ptx = try compiler.compile(source, architecture: architecture) } catch {
                    XCTFail("\(source.name) for compute_\(architecture): \(error)")
                    continue
                }
                XCTAssertTrue(ptx.contains(".target sm_\(architecture)"), "\(source.name): \(ptx.prefix(300))")
                for kernel in source.kernels {
                    XCTAssertTrue(ptx.contains(".entry \(kernel)("), "\(source.name) for compute_\(architecture) lacks kernel \(kernel)")
                }
                let entries = ptx.components(separatedBy: ".entry ").count - 1
                XCTAssertEqual(entries, source.kernels.count, "\(source.name): every kernel it defines is declared in its list")
            }
        }
    }

    func testABrokenSourceReportsNVRTCsLog() throws {
        let search = CUDALibrarySearch(environment: ProcessInfo.processInfo.environment) {
            (try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? []
        }
        guard case .success(let compiler) = NVRTCCompiler.load(search: search) else { throw XCTSkip("NVRTC not found") }
        let broken = CUDAKernelSource(name: "broken", code: "extern \"C\" __global__ void k(float* x) { x[0] = undefined_name; }", kernels: ["k"])
        XCTAssertThrowsError(try compiler.compile(broken, architecture: 90)) { error in
            XCTAssertTrue("\(error)".contains("NVRTC could not compile the kernels of broken") && "\(error)".contains("undefined_name"), "\(error)")
        }
    }
}
