import Foundation
import LightningInterop

/// Reads and writes ``Checkpoint``s as safetensors files, atomically.
public enum CheckpointIO {
    /// The format version this library writes and reads.
    public static let formatVersion = 1
    /// The library version recorded in checkpoints.
    public static let libraryVersion = "0.1.0"

    /// Writes `checkpoint` to `path`: a temporary file in the same directory, fsynced, renamed
    /// over `path`; on any error the previous file at `path` is untouched. The file records each
    /// tensor's CRC-32C (see `SafetensorsHeader.checksumKey`), which ``read(path:)`` verifies.
    public static func write(_ checkpoint: Checkpoint, to path: String) throws {
        var tensors = checkpoint.stateDict
        for (i, named) in checkpoint.optimizerTensors.enumerated() {
            for (key, tensor) in named { tensors["optimizer.\(i).\(key)"] = tensor }
        }
        var metadata: [String: String] = [:]
        for (key, value) in checkpoint.metadata { metadata[key] = value.jsonText }
        metadata[CheckpointKey.formatVersion] = "\(formatVersion)"
        metadata[CheckpointKey.stateDictKeys] = JSONValue.array(checkpoint.stateDict.keys.sorted().map(JSONValue.string)).jsonText
        do {
            // Checksums let `read` tell a damaged file from a good one instead of resuming
            // from wrong weights; they cost a small fraction of writing the file.
            try Safetensors.write(tensors, metadata: metadata, checksums: true, to: path)
        } catch {
            throw LightningError.checkpoint(path: path, reason: "could not be written: \(error)")
        }
    }

    /// Reads a checkpoint; a PyTorch Lightning `.ckpt` (a `torch.save` zip archive) gives its
    /// weights, epoch, global step and hyperparameters (see `LightningCheckpoint`).
    ///
    /// Throws naming the file and the problem for a file that is missing,
    /// truncated, corrupt or not a checkpoint of this format, and naming the tensor whose bytes do
    /// not match their recorded checksum. Files without checksums (older ones) load unverified.
    public static func read(path: String) throws -> Checkpoint {
        guard FileManager.default.fileExists(atPath: path) else {
            throw LightningError.checkpoint(path: path, reason: "no such file")
        }
        if LightningCheckpoint.isTorchArchive(path: path) {
            // A PyTorch Lightning .ckpt (torch.save's zip): weights, epoch, step, hyperparameters.
            do {
                return Checkpoint(pytorchLightning: try LightningCheckpoint.read(path: path))
            } catch let error as TorchCheckpointError {
                throw LightningError.checkpoint(path: path, reason: "PyTorch Lightning checkpoint: \(error.reason)")
            }
        }
        let file: SafetensorsFile
        do {
            file = try Safetensors.read(path: path)
        } catch {
            throw LightningError.checkpoint(path: path, reason: "\(error)")
        }
        guard let versionText = file.metadata[CheckpointKey.formatVersion] else {
            throw LightningError.checkpoint(path: path, reason: "not a swift-lightning checkpoint (no '\(CheckpointKey.formatVersion)' in its metadata); load a plain state dict with Module.load(from:)")
        }
        guard Int(versionText) == formatVersion else {
            throw LightningError.checkpoint(path: path, reason: "format version \(versionText) is not supported (this library reads version \(formatVersion))")
        }
        var metadata: [String: JSONValue] = [:]
        for (key, text) in file.metadata where key != CheckpointKey.formatVersion {
            do {
                metadata[key] = try JSONValue(parsing: text)
            } catch {
                throw LightningError.checkpoint(path: path, reason: "metadata '\(key)' is not valid JSON")
            }
        }
        guard case .array(let names)? = metadata.removeValue(forKey: CheckpointKey.stateDictKeys) else {
            throw LightningError.checkpoint(path: path, reason: "metadata '\(CheckpointKey.stateDictKeys)' is missing")
        }
        var stateDict: [String: Tensor] = [:]
        for case .string(let name) in names {
            guard let tensor = file.tensors[name] else {
                throw LightningError.checkpoint(path: path, reason: "state-dict tensor '\(name)' is listed but missing")
            }
            stateDict[name] = tensor
        }
        var optimizerTensors: [[String: Tensor]] = []
        for (key, tensor) in file.tensors where stateDict[key] == nil {
            let parts = key.split(separator: ".", maxSplits: 2)
            guard parts.count == 3, parts[0] == "optimizer", let index = Int(parts[1]), index >= 0, index < 1024 else {
                throw LightningError.checkpoint(path: path, reason: "tensor '\(key)' is neither in the state dict nor optimizer state")
            }
            while optimizerTensors.count <= index { optimizerTensors.append([:]) }
            optimizerTensors[index][String(parts[2])] = tensor
        }
        return Checkpoint(stateDict: stateDict, optimizerTensors: optimizerTensors, metadata: metadata)
    }
}
