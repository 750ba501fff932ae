import LightningInterop

extension Checkpoint {
    /// The metadata key that marks a checkpoint read from a PyTorch Lightning `.ckpt`.
    static let pytorchLightningSourceKey = "source_format"
    /// Its value.
    static let pytorchLightningSource = "torch.save"

    /// The weights, epoch, global step, hyperparameters and optimizer tensors of a PyTorch
    /// Lightning checkpoint; its loop, scheduler and callback state are not carried over.
    init(pytorchLightning ckpt: LightningCheckpoint) {
        var metadata: [String: JSONValue] = [Self.pytorchLightningSourceKey: .string(Self.pytorchLightningSource)]
        if let epoch = ckpt.epoch { metadata[CheckpointKey.epoch] = .number(Double(epoch)) }
        if let step = ckpt.globalStep { metadata[CheckpointKey.globalStep] = .number(Double(step)) }
        metadata[CheckpointKey.hyperParameters] = .object(ckpt.hyperParameters.mapValues(JSONValue.init(pickle:)))
        // PyTorch keys optimizer state by parameter index: kept as "<index>.<state name>".
        let optimizerTensors = ckpt.optimizerStates.map { states in
            var named: [String: Tensor] = [:]
            for (index, state) in states {
                for (name, tensor) in state { named["\(index).\(name)"] = tensor }
            }
            return named
        }
        self.init(stateDict: ckpt.stateDict, optimizerTensors: optimizerTensors, metadata: metadata)
    }

    /// Optimizer `i`'s state by parameter index, as ``init(pytorchLightning:)`` keeps it.
    func pytorchOptimizerState(_ i: Int) -> [Int: [String: Tensor]] {
        guard i < optimizerTensors.count else { return [:] }
        var states: [Int: [String: Tensor]] = [:]
        for (key, tensor) in optimizerTensors[i] {
            let parts = key.split(separator: ".", maxSplits: 1)
            guard parts.count == 2, let index = Int(parts[0]) else { continue }
            states[index, default: [:]][String(parts[1])] = tensor
        }
        return states
    }

    /// Whether this checkpoint came from a PyTorch Lightning `.ckpt` (weights only).
    var isFromPyTorchLightning: Bool {
        metadata[Self.pytorchLightningSourceKey] == .string(Self.pytorchLightningSource)
    }
}

extension JSONValue {
    /// A pickled value as JSON: containers as arrays and objects (non-string keys as text),
    /// bytes as latin-1 text, tensors and globals as null.
    init(pickle value: PickleValue) {
        switch value {
        case .none, .tensor, .global: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .number(Double(number))
        case .float(let number): self = .number(number)
        case .string(let text): self = .string(text)
        case .bytes(let bytes): self = .string(String(bytes.map { Character(Unicode.Scalar($0)) }))
        case .list(let items), .tuple(let items), .set(let items): self = .array(items.map(JSONValue.init(pickle:)))
        case .dict(let entries):
            var object: [String: JSONValue] = [:]
            for entry in entries {
                let key: String
                switch entry.key {
                case .string(let text): key = text
                case .int(let number): key = String(number)
                default: key = "\(entry.key)"
                }
                object[key] = JSONValue(pickle: entry.value)
            }
            self = .object(object)
        }
    }
}
