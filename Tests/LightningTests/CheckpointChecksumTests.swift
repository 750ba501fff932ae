import Foundation
import Lightning
import LightningTestSupport
import Safetensors
import XCTest

/// Checkpoints record each tensor's checksum and refuse data damaged on disk, naming the tensor.
final class CheckpointChecksumTests: XCTestCase {
    private lazy var directory = makeTemporaryDirectory(prefix: "checkpoint-checksum-tests")

    /// A small checkpoint with model and optimizer tensors, written to `name`; returns its path and bytes.
    private func writeCheckpoint(_ name: String = "model.ckpt") throws -> (path: String, bytes: [UInt8]) {
        let generator = Generator(seed: 11)
        let checkpoint = Checkpoint(
            stateDict: ["fc.weight": Tensor.randn([16, 8], generator: generator), "fc.bias": Tensor.randn([16], generator: generator)],
            optimizerTensors: [["fc.weight.exp_avg": Tensor.randn([16, 8], generator: generator)]],
            metadata: [CheckpointKey.epoch: .number(3)])
        let path = directory.file(name)
        try CheckpointIO.write(checkpoint, to: path)
        return (path, try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// The error message reading `bytes` as a checkpoint at `path`, or nil when it loads.
    private func readError(_ bytes: [UInt8], at path: String) throws -> String? {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try CheckpointIO.read(path: path)
            return nil
        } catch let error as LightningError {
            guard case .checkpoint(let errorPath, _) = error else { XCTFail("\(error)"); return nil }
            XCTAssertEqual(errorPath, path)
            return "\(error)"
        }
    }

    func testOneFlippedBitNamesTheTensor() throws {
        let (path, bytes) = try writeCheckpoint()
        let range = try XCTUnwrap(try SafetensorsFixture.tensorRanges(in: bytes)["fc.bias"])
        var damaged = bytes
        damaged[range.lowerBound + range.count / 2] ^= 0x01
        let message = try XCTUnwrap(try readError(damaged, at: path), "a flipped bit must not load")
        XCTAssertTrue(message.contains("'fc.bias'"), message)
        XCTAssertTrue(message.contains(path), message)
        XCTAssertTrue(message.contains("corrupt"), message)
    }

    func testRandomByteChangesInTheDataAreAllCaughtInTheirTensor() throws {
        let (path, bytes) = try writeCheckpoint()
        let ranges = try SafetensorsFixture.tensorRanges(in: bytes)
        XCTAssertEqual(ranges.count, 3)
        let dataStart = try XCTUnwrap(ranges.values.map(\.lowerBound).min())
        let generator = Generator(seed: 5)
        for _ in 0..<100 {
            let at = Int(generator.nextInt(in: Int64(dataStart)..<Int64(bytes.count)))
            var damaged = bytes
            damaged[at] ^= UInt8(1 + generator.nextInt(in: 0..<255))
            let owner = try XCTUnwrap(ranges.first { $0.value.contains(at) }?.key)
            let message = try XCTUnwrap(try readError(damaged, at: path), "byte \(at) changed but the checkpoint loaded")
            XCTAssertTrue(message.contains("'\(owner)'"), "byte \(at) lies in \(owner): \(message)")
        }
    }

    func testCheckpointWithoutChecksumsStillLoads() throws {
        let (path, _) = try writeCheckpoint()
        let original = try CheckpointIO.read(path: path)
        // Re-write the same tensors and metadata without checksums, as an older version did.
        let file = try Safetensors.read(path: path)
        let older = directory.file("older.ckpt")
        try Safetensors.write(file.tensors, metadata: file.metadata, to: older)
        let olderBytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: older)))
        XCTAssertNil(try SafetensorsFixture.metadata(in: olderBytes)[SafetensorsHeader.checksumKey])
        let loaded = try CheckpointIO.read(path: older)
        XCTAssertEqual(loaded.stateDict.mapValues { $0.scalars }, original.stateDict.mapValues { $0.scalars })
        XCTAssertEqual(loaded.metadata, original.metadata)
    }
}
