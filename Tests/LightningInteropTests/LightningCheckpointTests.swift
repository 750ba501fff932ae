import Foundation
import LightningInterop
import LightningTensor
import LightningTestSupport
import XCTest

/// Reading checkpoints PyTorch wrote: the committed fixture, and ones torch writes in the test.
final class LightningCheckpointTests: XCTestCase {
    static func fixture(_ name: String) throws -> String {
        try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "ckpt", subdirectory: "Fixtures")).path
    }

    func testCommittedFixtureReadsEveryTensorAndScalar() throws {
        let path = try Self.fixture("small")
        XCTAssertTrue(LightningCheckpoint.isTorchArchive(path: path))
        let ckpt = try LightningCheckpoint.read(path: path)
        XCTAssertEqual(ckpt.epoch, 3)
        XCTAssertEqual(ckpt.globalStep, 42)
        XCTAssertEqual(ckpt.hyperParameters["hidden"], .int(8))
        XCTAssertEqual(ckpt.hyperParameters["lr"], .float(0.01))
        XCTAssertEqual(ckpt.hyperParameters["name"], .string("mlp"))
        XCTAssertEqual(ckpt.hyperParameters["flag"], .bool(true))
        XCTAssertEqual(ckpt.stateDictKeys, ["layer.weight", "layer.bias", "transposed", "sliced", "half", "bn.num_batches_tracked", "mask"])
        let s = ckpt.stateDict
        XCTAssertEqual(s["layer.weight"]?.shape, [2, 3])
        XCTAssertEqual(s["layer.weight"]?.scalars, [0, 0.25, 0.5, 0.75, 1, 1.25])
        XCTAssertEqual(s["layer.bias"]?.scalars, [0.5, -1.5])
        XCTAssertEqual(s["transposed"]?.shape, [3, 2])
        XCTAssertEqual(s["transposed"]?.scalars, [0, 3, 1, 4, 2, 5])
        XCTAssertEqual(s["sliced"]?.scalars, [1, 2, 3])
        XCTAssertEqual(s["half"]?.scalars, [1, 2.5])
        XCTAssertEqual(s["bn.num_batches_tracked"]?.shape, [])
        XCTAssertEqual(s["bn.num_batches_tracked"]?.int64Scalars, [7])
        XCTAssertEqual(s["mask"]?.int64Scalars, [1, 0, 1])
        guard case .list(let optimizers)? = ckpt.contents["optimizer_states"] else { return XCTFail("optimizer_states missing") }
        XCTAssertEqual(optimizers.count, 1)
    }

    func testPayloadThatCallsOSSystemIsRefusedByNameAndNothingRuns() throws {
        let marker = "/tmp/pwned-swift-lightning-fixture"
        try? FileManager.default.removeItem(atPath: marker)
        XCTAssertThrowsError(try LightningCheckpoint.read(path: try Self.fixture("evil"))) { error in
            XCTAssertTrue("\(error)".contains("posix.system"), "\(error)")
            XCTAssertTrue("\(error)".contains("evil.ckpt"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
    }

    func testTorchSaveWrittenInTheTestReadsBackExactly() throws {
        try skipUnlessPython(modules: ["torch"])
        let dir = makeTemporaryDirectory(prefix: "ckptin")
        let path = dir.file("model.ckpt")
        let result = try runPython("""
        import sys, collections, torch
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
        net(torch.randn(8, 5))
        torch.save({'state_dict': net.state_dict(), 'epoch': 3, 'global_step': 42,
                    'hyper_parameters': {'hidden': 4, 'lr': 0.1}}, sys.argv[1])
        for k, v in net.state_dict().items():
            print(k, ' '.join(repr(float(x)) for x in v.flatten().tolist()))
        """, [path])
        XCTAssertTrue(result.succeeded, result.stderr)
        let ckpt = try LightningCheckpoint.read(path: path)
        XCTAssertEqual(ckpt.epoch, 3)
        XCTAssertEqual(ckpt.globalStep, 42)
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ")
            let name = String(fields[0])
            let tensor = try XCTUnwrap(ckpt.stateDict[name], name)
            let expected = fields.dropFirst().map { Double($0)! }
            let actual = tensor.dtype == .int64 ? tensor.int64Scalars.map(Double.init) : tensor.scalars.map(Double.init)
            XCTAssertEqual(actual, expected.map { Double(Float($0)) }, name)
        }
    }

    func testTorchSavedEvilObjectIsRefusedAndNothingRuns() throws {
        try skipUnlessPython(modules: ["torch"])
        let dir = makeTemporaryDirectory(prefix: "ckptin")
        let path = dir.file("evil.ckpt")
        let marker = dir.file("pwned")
        let result = try runPython("""
        import os, sys, torch
        class Evil:
            def __reduce__(self):
                return (os.system, ('touch ' + sys.argv[2],))
        torch.save({'state_dict': {'w': torch.ones(2)}, 'hyper_parameters': {'x': Evil()}}, sys.argv[1])
        """, [path, marker])
        XCTAssertTrue(result.succeeded, result.stderr)
        XCTAssertThrowsError(try LightningCheckpoint.read(path: path)) { error in
            XCTAssertTrue("\(error)".contains("refuses global 'posix.system'"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
    }

    func testPlainStateDictAndOtherFilesGiveClearAnswers() throws {
        try skipUnlessPython(modules: ["torch"])
        let dir = makeTemporaryDirectory(prefix: "ckptin")
        let plain = dir.file("plain.pt")
        let eval = dir.file("eval.pt")
        let compressed = dir.file("deflated.ckpt")
        let result = try runPython("""
        import sys, zipfile, torch, builtins
        torch.save({'a.weight': torch.ones(2, 2)}, sys.argv[1])
        torch.save({'state_dict': {}, 'f': builtins.eval}, sys.argv[2])
        src = zipfile.ZipFile(sys.argv[1])
        with zipfile.ZipFile(sys.argv[3], 'w', zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist(): z.writestr(info.filename, src.read(info.filename))
        """, [plain, eval, compressed])
        XCTAssertTrue(result.succeeded, result.stderr)
        XCTAssertEqual(try LightningCheckpoint.read(path: plain).stateDict["a.weight"]?.scalars, [1, 1, 1, 1])
        XCTAssertThrowsError(try LightningCheckpoint.read(path: eval)) { XCTAssertTrue("\($0)".contains("refuses global '__builtin__.eval'"), "\($0)") }
        XCTAssertThrowsError(try LightningCheckpoint.read(path: compressed)) { XCTAssertTrue("\($0)".contains("compressed"), "\($0)") }
    }

    func testDataSliceReadsLikeTheFile() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: try Self.fixture("small")))
        let padded = Data([1, 2, 3]) + bytes
        let ckpt = try LightningCheckpoint.read(data: padded[3...], name: "slice")
        XCTAssertEqual(ckpt.stateDict["transposed"]?.scalars, [0, 3, 1, 4, 2, 5])
    }

    func testMissingAndNonZipFilesNameThePath() throws {
        XCTAssertThrowsError(try LightningCheckpoint.read(path: "/nonexistent/x.ckpt")) { XCTAssertTrue("\($0)".contains("/nonexistent/x.ckpt: no such file"), "\($0)") }
        let dir = makeTemporaryDirectory(prefix: "ckptin")
        let path = dir.write("text.ckpt", text: "hello")
        XCTAssertFalse(LightningCheckpoint.isTorchArchive(path: path))
        XCTAssertThrowsError(try LightningCheckpoint.read(path: path)) { XCTAssertTrue("\($0)".contains("not a torch.save zip archive"), "\($0)") }
    }
}
