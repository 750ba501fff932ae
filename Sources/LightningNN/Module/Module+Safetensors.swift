extension Module {
    /// Saves ``stateDict()`` as a safetensors file (atomically), loadable by Python's
    /// `safetensors.torch.load_file` and then PyTorch's `load_state_dict`.
    ///
    /// With `checksums` (the default) the file records each tensor's CRC-32C in its metadata, so
    /// ``load(from:strict:)`` refuses a file whose data was damaged instead of loading wrong weights.
    public func save(to path: String, metadata: [String: String] = [:], checksums: Bool = true) throws {
        try Safetensors.write(stateDict(), metadata: metadata, checksums: checksums, to: path)
    }

    /// Loads a safetensors file written by ``save(to:metadata:)`` or by PyTorch, in place.
    ///
    /// Throws ``SafetensorsError`` for a malformed file and ``StateDictError`` for keys or shapes
    /// that do not match this module.
    @discardableResult
    public func load(from path: String, strict: Bool = true) throws -> StateDictLoadResult {
        try loadStateDict(Safetensors.read(path: path).tensors, strict: strict)
    }
}
