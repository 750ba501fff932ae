extension Module {
    /// Every parameter and persistent buffer by its PyTorch state-dict name.
    ///
    /// The tensors are detached views of the live storage, as in PyTorch: they change when the
    /// model trains. Call `copied()` on them to keep a snapshot.
    public func stateDict() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, tensor) in namedStateDict() { result[name] = tensor }
        return result
    }

    /// ``stateDict()`` as `(name, tensor)` pairs in module order (parameters, buffers, then children).
    public func namedStateDict() -> [(name: String, tensor: Tensor)] {
        namedStateEntries(includeNonPersistent: false).map { name, entry in
            switch entry {
            case .parameter(let p): return (name, p.value.detached())
            case .buffer(let b): return (name, b.value.detached())
            case .module: usageFailure("state entries hold no modules")
            }
        }
    }

    /// Copies `state` into this module's parameters and buffers, in place.
    ///
    /// The existing storages are written (never replaced), so optimizers and anything else holding
    /// the ``Parameter`` objects see the loaded values. Values are converted to each tensor's dtype
    /// as PyTorch's `copy_` does. Nothing is written unless everything can be: shape mismatches and
    /// unconvertible values always throw; with `strict`, missing and unexpected keys throw too.
    /// - Returns: the keys a non-strict load skipped.
    @discardableResult
    public func loadStateDict(_ state: [String: Tensor], strict: Bool = true) throws -> StateDictLoadResult {
        let entries = namedStateEntries(includeNonPersistent: false)
        var error = StateDictError()
        var known = Set<String>()
        var plan: [(target: Tensor, source: Tensor)] = []
        for (name, entry) in entries {
            known.insert(name)
            let target: Tensor
            switch entry {
            case .parameter(let p): target = p.value
            case .buffer(let b): target = b.value
            case .module: continue
            }
            guard let source = state[name] else { error.missingKeys.append(name); continue }
            if source.shape != target.shape {
                error.shapeMismatches.append(.init(key: name, expected: target.shape, actual: source.shape))
                continue
            }
            do {
                plan.append((target, try StateDictConversion.converted(source, to: target.dtype)))
            } catch let problem as StateDictConversion.Problem {
                error.invalidValues[name] = problem.reason
            }
        }
        error.unexpectedKeys = state.keys.filter { !known.contains($0) }.sorted()
        let result = StateDictLoadResult(missingKeys: error.missingKeys, unexpectedKeys: error.unexpectedKeys)
        if !strict {
            error.missingKeys = []
            error.unexpectedKeys = []
        }
        if !error.isEmpty { throw error }
        // A memmove, so views of the same storage (even overlapping ones) load correctly.
        for (target, source) in plan where !source.sharesElements(with: target) { Kernels.copy(from: source, to: target) }
        return result
    }
}

/// The dtype conversion of loading a state dict (PyTorch's `copy_` casts).
enum StateDictConversion {
    /// Why a value cannot be stored in the target dtype.
    struct Problem: Error { let reason: String }

    /// `source` in `dtype`, refusing floats that have no int64 value.
    static func converted(_ source: Tensor, to dtype: DType) throws -> Tensor {
        if source.dtype == dtype { return source }
        if dtype == .int64 {
            let firstBad = source.withUnsafeBufferPointer { values in
                values.firstIndex { !$0.isFinite || $0 >= 0x1p63 || $0 < -0x1p63 }
            }
            if let bad = firstBad {
                let value = source.withUnsafeBufferPointer { $0[bad] }
                throw Problem(reason: "element \(bad) is \(value), which has no int64 value")
            }
        }
        return source.converted(to: dtype)
    }
}
