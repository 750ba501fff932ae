import LightningCUDA
import XCTest

/// The order CUDA libraries are looked for in, from the environment and the folders that exist.
final class CUDALibrarySearchTests: XCTestCase {
    /// A file tree as folder → entries.
    private func search(_ environment: [String: String], _ tree: [String: [String]]) -> CUDALibrarySearch {
        CUDALibrarySearch(environment: environment) { tree[$0] ?? [] }
    }

    func testTheOverrideComesFirstThenTheBareNamesThenToolkitAndWheels() {
        let tree = ["/usr/local/cuda/lib64": ["libnvrtc.so.12"],
                    "/venv/lib": ["python3.12"],
                    "/venv/lib/python3.12/site-packages/nvidia/cu13/lib": ["libnvrtc.so.13", "libnvrtc-builtins.so.13.0"]]
        let paths = search([CUDALibrarySearch.pathVariable: "/mine:/theirs", "VIRTUAL_ENV": "/venv"], tree).candidates(for: .nvrtc)
        let names = CUDALibrary.nvrtc.fileNames
        XCTAssertEqual(Array(paths.prefix(2 * names.count)), names.map { "/mine/\($0)" } + names.map { "/theirs/\($0)" })
        XCTAssertEqual(Array(paths.dropFirst(2 * names.count).prefix(names.count)), names, "dlopen's own search next")
        // Folders found on disk contribute only the files that exist there.
        XCTAssertEqual(Array(paths.suffix(2)), ["/usr/local/cuda/lib64/libnvrtc.so.12", "/venv/lib/python3.12/site-packages/nvidia/cu13/lib/libnvrtc.so.13"])
    }

    func testCUDA12WheelsAndPyenvAndPathPythonsAreFound() {
        let tree = ["/root/.pyenv/versions": ["3.11.7"],
                    "/root/.pyenv/versions/3.11.7/lib": ["python3.11"],
                    "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/nvidia/cublas/lib": ["libcublas.so.12"],
                    "/opt/torch/.venv/lib": ["python3.12"],
                    "/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib": ["libcublas.so.13"]]
        let paths = search(["HOME": "/root", "PATH": "/opt/torch/.venv/bin:/usr/bin"], tree).candidates(for: .cublas)
        XCTAssertTrue(paths.contains("/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/nvidia/cublas/lib/libcublas.so.12"), "\(paths)")
        XCTAssertTrue(paths.contains("/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib/libcublas.so.13"), "\(paths)")
    }

    func testTheDriverIsOnlyTheSystems() {
        let tree = ["/venv/lib": ["python3.12"], "/venv/lib/python3.12/site-packages/nvidia/cu13/lib": ["libcuda.so.1"]]
        let paths = search(["VIRTUAL_ENV": "/venv", "CUDA_HOME": "/cuda"], tree).candidates(for: .driver)
        let names = CUDALibrary.driver.fileNames
        XCTAssertEqual(paths, names + names.map { "/usr/local/nvidia/lib64/\($0)" } + names.map { "/usr/lib/wsl/lib/\($0)" },
                       "the driver must match the kernel module: no wheel or toolkit copy")
    }

    func testNoCandidateRepeats() {
        let tree = ["/usr/local/cuda/lib64": ["libnccl.so.2"]]
        let paths = search(["CUDA_HOME": "/usr/local/cuda", CUDALibrarySearch.pathVariable: "/usr/local/cuda/lib64"], tree).candidates(for: .nccl)
        XCTAssertEqual(paths.count, Set(paths).count, "\(paths)")
    }
}
