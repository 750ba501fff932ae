/// The globals the restricted unpickler accepts: those `torch.load(weights_only=True)` needs for
/// a checkpoint's data. Every other global (`os.system`, `builtins.eval`, a user's class) is
/// refused by name when the pickle names it, before anything could be called.
enum PickleGlobal: Equatable {
    /// `collections.OrderedDict`: called with no arguments (or a list of pairs).
    case orderedDict
    /// `torch._utils._rebuild_tensor_v2`.
    case rebuildTensor
    /// `torch._utils._rebuild_parameter` and `_rebuild_parameter_with_state`.
    case rebuildParameter
    /// `builtins.set` and `builtins.frozenset`.
    case set
    /// `_codecs.encode`: how protocol 2 pickles `bytes` (`encode(text, 'latin1')`).
    case encode
    /// `torch.Size`.
    case size
    /// A storage class, used only inside persistent ids.
    case storage(TorchStorageType)
    /// A value-only global (a dtype, a layout), kept as its name.
    case value(String)

    /// The dtypes and layouts a pickle may name as values.
    private static let valueNames: Set<String> = [
        "torch.float32", "torch.float64", "torch.float16", "torch.bfloat16", "torch.int64", "torch.int32",
        "torch.int16", "torch.int8", "torch.uint8", "torch.bool", "torch.strided", "torch.serialization._get_layout",
    ]

    /// The global `module.name`, or nil when it is not allowed.
    init?(module: String, name: String) {
        let full = module + "." + name
        switch full {
        case "collections.OrderedDict": self = .orderedDict
        case "torch._utils._rebuild_tensor_v2": self = .rebuildTensor
        case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state": self = .rebuildParameter
        case "builtins.set", "builtins.frozenset", "__builtin__.set", "__builtin__.frozenset": self = .set
        case "_codecs.encode": self = .encode
        case "torch.Size": self = .size
        default:
            if module == "torch", let type = TorchStorageType(rawValue: name) {
                self = .storage(type)
            } else if Self.valueNames.contains(full) {
                self = .value(full)
            } else {
                return nil
            }
        }
    }
}
