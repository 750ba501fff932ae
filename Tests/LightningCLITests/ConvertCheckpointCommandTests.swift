import Foundation
import LightningTestSupport
import XCTest
@testable import LightningCLI

/// `swift-lightning convert-checkpoint IN.ckpt OUT.safetensors`.
final class ConvertCheckpointCommandTests: XCTestCase {
    func testTorchSavedCheckpointBecomesSafetensorsPythonReads() throws {
        try skipUnlessPython(modules: ["torch", "safetensors"])
        let directory = makeTemporaryDirectory()
        let input = directory.file("epoch=3-step=42.ckpt")
        let output = directory.file("weights.safetensors")
        let made = try runPython("""
        import sys, collections, torch
        sd = collections.OrderedDict([('net.weight', torch.arange(6.).reshape(2, 3).t()), ('steps', torch.tensor(5))])
        torch.save({'state_dict': sd, 'epoch': 3, 'global_step': 42, 'hyper_parameters': {'hidden': 2}}, sys.argv[1])
        """, [input])
        XCTAssertTrue(made.succeeded, made.stderr)
        XCTAssertEqual(builtInCLI().run(["convert-checkpoint", input, output]), 0)
        let check = try runPython("""
        import sys, torch
        from safetensors import safe_open
        with safe_open(sys.argv[1], 'pt') as f:
            assert f.metadata()['epoch'] == '3' and f.metadata()['global_step'] == '42', f.metadata()
            assert torch.equal(f.get_tensor('net.weight'), torch.arange(6.).reshape(2, 3).t().contiguous())
            assert f.get_tensor('steps').item() == 5
        """, [output])
        XCTAssertTrue(check.succeeded, check.stderr)
    }

    func testUsageAndUnreadableInputsExitTwo() throws {
        let directory = makeTemporaryDirectory()
        XCTAssertEqual(builtInCLI().run(["convert-checkpoint", "only-one.ckpt"]), 2)
        XCTAssertEqual(builtInCLI().run(["convert-checkpoint", "--bogus", "a", "b"]), 2)
        let text = directory.write("notes.ckpt", text: "not a checkpoint")
        XCTAssertEqual(builtInCLI().run(["convert-checkpoint", text, directory.file("out.safetensors")]), 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("out.safetensors")))
        XCTAssertEqual(builtInCLI().run(["convert-checkpoint", "--help"]), 0)
    }
}
