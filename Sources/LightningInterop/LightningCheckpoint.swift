import Foundation
import LightningTensor

/// A checkpoint PyTorch Lightning (or plain `torch.save`) wrote, read without executing
/// anything: its `state_dict` as tensors, and its epoch, global step and hyperparameters.
///
/// ```swift
/// let ckpt = try LightningCheckpoint.read(path: "epoch=3-step=42.ckpt")
/// try model.loadStateDict(ckpt.stateDict)
/// ```
///
/// The pickle is read as `torch.load(weights_only=True)` reads it: a global other than tensors,
/// storages and plain containers (`os.system`, a user's class) is refused by name.
public struct LightningCheckpoint {
    /// The model's tensors by state-dict name (floats as float32, integers and booleans as int64).
    public var stateDict: [String: Tensor]
    /// The state-dict names in the file's order.
    public var stateDictKeys: [String]
    /// `epoch`, when the file has it.
    public var epoch: Int?
    /// `global_step`, when the file has it.
    public var globalStep: Int?
    /// `hyper_parameters` (what `save_hyperparameters()` saved), empty when absent.
    public var hyperParameters: [String: PickleValue]
    /// Each optimizer's per-parameter state from `optimizer_states` (PyTorch's layout: parameter
    /// index → state name → tensor, such as Adam's `step`, `exp_avg`, `exp_avg_sq`); a numeric
    /// `step` becomes a 0-d float32 tensor. Empty when the file has none.
    public var optimizerStates: [[Int: [String: Tensor]]]
    /// The whole pickled object (tensors as references): `optimizer_states`, `callbacks`, `loops`, ….
    public var contents: PickleValue

    /// Whether the file at `path` starts like a zip archive (`PK\u{3}\u{4}`), as `torch.save`
    /// files do; safetensors files start with their header length instead.
    public static func isTorchArchive(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 4)).map { Array($0) == ZipArchive.magic } ?? false
    }

    /// Reads the checkpoint at `path`. Its state dict is `state_dict` when the top-level dict
    /// has one, else the top-level dict itself when every value is a tensor (a plain
    /// `torch.save(model.state_dict())`).
    ///
    /// Throws ``TorchCheckpointError`` naming the file and the problem: missing, not a zip
    /// archive, a compressed entry, a refused global, a tensor that does not fit its storage, ….
    public static func read(path: String) throws -> LightningCheckpoint {
        do {
            guard FileManager.default.fileExists(atPath: path) else { throw TorchFormatError("no such file") }
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
            } catch {
                throw TorchFormatError("cannot be read: \(error.localizedDescription)")
            }
            return try LightningCheckpoint(archive: TorchArchive(data: data))
        } catch let error as TorchFormatError {
            throw TorchCheckpointError(path: path, reason: error.reason)
        }
    }

    /// Reads a checkpoint from the bytes of a `torch.save` file (errors name `name`).
    public static func read(data: Data, name: String = "<data>") throws -> LightningCheckpoint {
        do {
            return try LightningCheckpoint(archive: TorchArchive(data: data))
        } catch let error as TorchFormatError {
            throw TorchCheckpointError(path: name, reason: error.reason)
        }
    }

    private init(archive: TorchArchive) throws {
        let root = archive.root
        guard case .dict(let top) = root else { throw TorchFormatError("the pickled object is not a dict") }
        let stateEntries: [PickleEntry]
        if case .dict(let entries)? = root["state_dict"] {
            stateEntries = entries
        } else if !top.isEmpty, top.allSatisfy({ if case .tensor = $0.value { return true } else { return false } }) {
            stateEntries = top
        } else {
            throw TorchFormatError("has no 'state_dict' (keys: \(top.compactMap { if case .string(let k) = $0.key { return k } else { return nil } }.prefix(12).joined(separator: ", ")))")
        }
        var stateDict: [String: Tensor] = [:]
        var keys: [String] = []
        for entry in stateEntries {
            guard case .string(let name) = entry.key else { throw TorchFormatError("state_dict has a key that is not a string") }
            guard case .tensor(let reference) = entry.value else { throw TorchFormatError("state_dict['\(name)'] is not a tensor") }
            do {
                stateDict[name] = try archive.tensor(reference)
            } catch let error as TorchFormatError {
                throw TorchFormatError("state_dict['\(name)']: \(error.reason)")
            }
            keys.append(name)
        }
        var hyperParameters: [String: PickleValue] = [:]
        if case .dict(let entries)? = root["hyper_parameters"] {
            for entry in entries {
                if case .string(let key) = entry.key { hyperParameters[key] = entry.value }
            }
        }
        self.optimizerStates = try Self.optimizerStates(root["optimizer_states"], archive: archive)
        self.stateDict = stateDict
        self.stateDictKeys = keys
        self.epoch = root["epoch"]?.intValue
        self.globalStep = root["global_step"]?.intValue
        self.hyperParameters = hyperParameters
        self.contents = root
    }

    /// `optimizer_states[i]['state']` as tensors; optimizers whose state is not in PyTorch's
    /// layout give an empty state.
    private static func optimizerStates(_ value: PickleValue?, archive: TorchArchive) throws -> [[Int: [String: Tensor]]] {
        guard case .list(let optimizers)? = value else { return [] }
        return try optimizers.map { optimizer in
            guard case .dict(let parameters)? = optimizer["state"] else { return [:] }
            var states: [Int: [String: Tensor]] = [:]
            for parameter in parameters {
                guard case .int(let index) = parameter.key, case .dict(let entries) = parameter.value else { continue }
                var state: [String: Tensor] = [:]
                for entry in entries {
                    guard case .string(let name) = entry.key else { continue }
                    switch entry.value {
                    case .tensor(let reference):
                        do {
                            state[name] = try archive.tensor(reference)
                        } catch let error as TorchFormatError {
                            throw TorchFormatError("optimizer_states[…]['state'][\(index)]['\(name)']: \(error.reason)")
                        }
                    case .int(let number): state[name] = Tensor(shape: [], scalars: [Float(number)])
                    case .float(let number): state[name] = Tensor(shape: [], scalars: [Float(number)])
                    default: continue
                    }
                }
                states[Int(index)] = state
            }
            return states
        }
    }
}
