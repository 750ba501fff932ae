import Checksums
import Foundation
import Lightning
import Safetensors

/// Checkpoint save and load with and without per-tensor CRC-32C checksums (the same writer and
/// reader, `checksums:` on and off), for a 48 MB state
/// dict (a dozen 1024×1024 float matrices with biases, like a small transformer's), in a
/// temporary directory on the default file system. Saves include the fsync and rename.
///
/// Lines: the four times (best of 15, alternated: the machine is shared); `crc32c_gb_per_s`;
/// `checkpoint_checksum_cpu_pct_of_save`, the checksum computation alone relative to writing the
/// file without checksums (what it would cost if it did not overlap the device's flush);
/// `checkpoint_checksum_save_overhead_pct` and `checkpoint_checksum_load_overhead_pct`, the extra
/// time of saving and of loading with checksums, both relative to writing the file without them;
/// `checkpoint_checksum_load_overhead_vs_read_pct`, the load's extra time relative to reading.
enum CheckpointBench {
    static func run(generator: Generator) throws {
        var stateDict: [String: Tensor] = [:]
        for layer in 0..<12 {
            stateDict["layers.\(layer).weight"] = Tensor.randn([1024, 1024], generator: generator)
            stateDict["layers.\(layer).bias"] = Tensor.randn([1024], generator: generator)
        }
        let checkpoint = Checkpoint(stateDict: stateDict, metadata: [CheckpointKey.epoch: .number(1)])
        let directory = NSTemporaryDirectory() + "swift-lightning-checkpoint-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let withPath = directory + "/with.ckpt", withoutPath = directory + "/without.ckpt"

        // The same tensors and metadata CheckpointIO writes, written by the same writer with and
        // without checksums, so the difference is the checksums alone.
        try CheckpointIO.write(checkpoint, to: withPath)
        let metadata = try Safetensors.read(path: withPath).metadata.filter { $0.key != "tensor_crc32c" }

        // Alternate the variants and keep each one's best of 15 (the machine is shared).
        var save = Double.infinity, saveWithout = Double.infinity, load = Double.infinity, loadWithout = Double.infinity
        for _ in 0..<15 {
            save = min(save, try time { try Safetensors.write(stateDict, metadata: metadata, checksums: true, to: withPath) })
            saveWithout = min(saveWithout, try time { try Safetensors.write(stateDict, metadata: metadata, to: withoutPath) })
            load = min(load, try time { _ = try CheckpointIO.read(path: withPath) })
            loadWithout = min(loadWithout, try time { _ = try CheckpointIO.read(path: withoutPath) })
        }
        var crc = Double.infinity
        var bytes = 0
        for _ in 0..<7 {
            bytes = 0
            crc = min(crc, time {
                for tensor in stateDict.values {
                    tensor.withSafetensorsBytes { bytes += $0.count; _ = CRC32C.checksum($0) }
                }
            })
        }
        report("checkpoint_save_ms", save * 1000, digits: 1)
        report("checkpoint_save_no_checksum_ms", saveWithout * 1000, digits: 1)
        report("checkpoint_load_ms", load * 1000, digits: 1)
        report("checkpoint_load_no_checksum_ms", loadWithout * 1000, digits: 1)
        report("crc32c_gb_per_s", Double(bytes) / crc / 1e9, digits: 2)
        report("checkpoint_checksum_cpu_pct_of_save", crc / saveWithout * 100, digits: 2)
        report("checkpoint_checksum_save_overhead_pct", (save - saveWithout) / saveWithout * 100, digits: 2)
        report("checkpoint_checksum_load_overhead_pct", (load - loadWithout) / saveWithout * 100, digits: 2)
        report("checkpoint_checksum_load_overhead_vs_read_pct", (load - loadWithout) / loadWithout * 100, digits: 2)
    }

    /// Seconds `body` takes once.
    private static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = now()
        try body()
        return now() - start
    }
}
