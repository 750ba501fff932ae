import Foundation
import LightningCUDA
import LightningTestSupport
import Synchronization
import XCTest

/// NVRTC runs once per source, architecture and compiler version; the disk cache serves the rest.
final class KernelCacheTests: XCTestCase {
    /// Counts compilations; its "PTX" names what it compiled.
    final class CountingCompiler: KernelCompiler {
        let identity: String
        let count = Mutex(0)
        init(identity: String) { self.identity = identity }
        func compile(_ source: CUDAKernelSource, architecture: Int) throws -> String {
            count.withLock { $0 += 1 }
            return "// \(source.name) for compute_\(architecture) by \(identity)\n"
        }
        var compilations: Int { count.withLock { $0 } }
    }

    func testASecondRequestAndASecondProcessReadTheCache() throws {
        let folder = TemporaryDirectory(prefix: "kernel-cache")
        defer { folder.remove() }
        let compiler = CountingCompiler(identity: "nvrtc-13.0")
        let cache = KernelCache(directory: folder.path, compiler: compiler)
        let first = try cache.ptx(for: .elementwise, architecture: 90)
        XCTAssertEqual(try cache.ptx(for: .elementwise, architecture: 90), first)
        // A new cache over the same folder (another rank, a later run) compiles nothing.
        let other = CountingCompiler(identity: "nvrtc-13.0")
        XCTAssertEqual(try KernelCache(directory: folder.path, compiler: other).ptx(for: .elementwise, architecture: 90), first)
        XCTAssertEqual(compiler.compilations, 1)
        XCTAssertEqual(other.compilations, 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertEqual(files, [cache.fileName(for: .elementwise, architecture: 90)], "no temporary file is left")
    }

    func testTheKeyChangesWithSourceArchitectureAndCompilerVersion() {
        let cache = KernelCache(directory: "/unused", compiler: CountingCompiler(identity: "nvrtc-13.0"))
        let newer = KernelCache(directory: "/unused", compiler: CountingCompiler(identity: "nvrtc-13.2"))
        let edited = CUDAKernelSource(name: "elementwise", code: CUDAKernelSource.elementwise.code + "\n// edited", kernels: [])
        let names = [cache.fileName(for: .elementwise, architecture: 90), cache.fileName(for: .elementwise, architecture: 80),
                     newer.fileName(for: .elementwise, architecture: 90), cache.fileName(for: edited, architecture: 90)]
        XCTAssertEqual(Set(names).count, names.count, "\(names)")
        XCTAssertTrue(names[0].hasPrefix("elementwise-") && names[0].hasSuffix("-compute_90-nvrtc-13.0.ptx"), names[0])
    }

    func testTheDefaultFolderFollowsTheEnvironment() {
        XCTAssertEqual(KernelCache.defaultDirectory(environment: [KernelCache.directoryVariable: "/x", "HOME": "/h"]), "/x")
        XCTAssertEqual(KernelCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"]), "/c/swift-lightning/kernels")
        XCTAssertEqual(KernelCache.defaultDirectory(environment: ["HOME": "/h"]), "/h/.cache/swift-lightning/kernels")
    }

    /// The runtime compiles a source once per device and resolves every kernel it declares.
    func testTheRuntimeLoadsEachSourceOncePerDevice() throws {
        let folder = TemporaryDirectory(prefix: "kernel-cache")
        defer { folder.remove() }
        let driver = FakeCUDADriver(deviceCount: 2)
        let compiler = CountingCompiler(identity: "nvrtc-13.0")
        let runtime = CUDARuntime.fake(driver, compiler: compiler, cacheDirectory: folder.path)
        try runtime.launch("fill_f32", in: .elementwise, device: 0, elements: 1000, arguments: [.pointer(DevicePointer(address: 0)), .int64(1000), .float(1)])
        try runtime.launch("axpy_f32", in: .elementwise, device: 0, elements: 10, arguments: [])
        try runtime.launch("fill_f32", in: .elementwise, device: 1, elements: 10, arguments: [])
        XCTAssertEqual(compiler.compilations, 1, "device 1 has the same architecture: the cached PTX serves it")
        XCTAssertEqual(driver.launches.map(\.kernel), ["fill_f32", "axpy_f32", "fill_f32"])
        XCTAssertEqual(driver.launches[0].grid, LaunchDimensions((1000 + CUDARuntime.blockSize - 1) / CUDARuntime.blockSize))
        XCTAssertThrowsError(try runtime.launch("no_such_kernel", in: .elementwise, device: 0, elements: 1, arguments: []))
    }
}
