import LightningInterop

extension Checkpoint {
    /// The metadata key that marks a checkpoint read from a PyTorch Lightning `.ckpt`.
    static let pytorchLightningSourceKey = "source_format"
    /// Its value.
    static let pytorchLightningSource = "torch.save"

    /// The weights, epoch, global step and hyperparameters of a PyTorch Lightning checkpoint;
    /// its optimizer and loop state are not carried over (they are PyTorch objects).
    init(pytorchLightning ckpt: LightningCheckpoint) {
        var metadata: [String: JSONValue] = [Self.pytorchLightningSourceKey: .string(Self.pytorchLightningSource)]
        if let epoch = ckpt.epoch { metadata[CheckpointKey.epoch] = .number(Double(epoch)) }
        if let step = ckpt.globalStep { metadata[CheckpointKey.globalStep] = .number(Double(step)) }
        metadata[CheckpointKey.hyperParameters] = .object(ckpt.hyperParameters.mapValues(JSONValue.init(pickle:)))
        self.init(stateDict: ckpt.stateDict, metadata: metadata)
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
