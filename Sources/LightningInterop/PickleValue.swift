/// A value read from a pickle by the restricted reader: only data (no objects of arbitrary
/// classes), with tensors as references to the archive's storages.
public indirect enum PickleValue: Sendable, Hashable {
    /// `None`.
    case none
    /// `True` or `False`.
    case bool(Bool)
    /// An integer that fits 64 bits.
    case int(Int64)
    /// A float.
    case float(Double)
    /// A `str`.
    case string(String)
    /// `bytes` or `bytearray`.
    case bytes([UInt8])
    /// A `list`.
    case list([PickleValue])
    /// A `tuple` (or `torch.Size`).
    case tuple([PickleValue])
    /// A `set` or `frozenset`.
    case set([PickleValue])
    /// A `dict` or `OrderedDict`, in its order.
    case dict([PickleEntry])
    /// A tensor: where its elements lie in the archive.
    case tensor(TorchTensorReference)
    /// An allow-listed global used as a value (a dtype such as `torch.float32`), as `module.name`.
    case global(String)

    /// The value under string key `key` of a dict.
    public subscript(key: String) -> PickleValue? {
        guard case .dict(let entries) = self else { return nil }
        return entries.first { $0.key == .string(key) }?.value
    }

    /// The integer, when this is one.
    public var intValue: Int? {
        if case .int(let value) = self { return Int(value) }
        return nil
    }
}

/// One key and value of a pickled dict.
public struct PickleEntry: Sendable, Hashable {
    /// The key.
    public let key: PickleValue
    /// The value.
    public let value: PickleValue
}

/// A storage as a persistent id names it: `('storage', torch.FloatStorage, key, location, numel)`.
public struct TorchStorageReference: Sendable, Hashable {
    /// The archive entry `data/<key>` holding its bytes.
    public let key: String
    /// The element type (from the storage class).
    public let type: TorchStorageType
    /// Its length in elements.
    public let count: Int
}

/// A tensor as `torch._utils._rebuild_tensor_v2` describes it: a view of a storage.
public struct TorchTensorReference: Sendable, Hashable {
    /// The storage it views.
    public let storage: TorchStorageReference
    /// The element offset of its first element in the storage.
    public let offset: Int
    /// Its shape.
    public let shape: [Int]
    /// Its strides, in elements.
    public let strides: [Int]
}
