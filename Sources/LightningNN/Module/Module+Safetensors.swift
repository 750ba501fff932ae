extension Module {
    /// Saves ``stateDict()`` as a safetensors file (atomically), loadable by Python's
    /// `safetensors.torch.load_file` and then PyTorch's `load_state_dict`.
    public func save(to path: String, metadata: [String: String] = [:]) throws {
        try Safetensors.write(stateDict(), metadata: metadata, to: path)
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
