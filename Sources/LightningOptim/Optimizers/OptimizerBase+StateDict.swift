import Foundation

extension OptimizerBase {
    /// A snapshot: copies of every parameter's state buffers, and each group's hyperparameters.
    public func stateDict() -> OptimizerState {
        var tensors: [Int: [String: Tensor]] = [:]
        var groups: [ParamGroupState] = []
        var index = 0
        for group in paramGroups {
            var indices: [Int] = []
            for parameter in group.parameters {
                if let saved = state[ObjectIdentifier(parameter)], !saved.isEmpty {
                    // Copies, so the snapshot stays fixed while training continues.
                    var entry = saved.buffers.mapValues { $0.copied() }
                    if saved.hasStep { entry["step"] = Tensor(Float(saved.step)) }
                    tensors[index] = entry
                }
                indices.append(index)
                index += 1
            }
            groups.append(ParamGroupState(params: indices, lr: group.lr, options: Self.encodeOptions(group.options)))
        }
        return OptimizerState(tensors: tensors, scalars: .init(optimizer: Self.name, groups: groups))
    }

    /// Restores `saved` (PyTorch's `load_state_dict`): the saved hyperparameters and learning rates
    /// replace the current ones, parameters keep their identity, buffers are copied in. Everything is
    /// checked before anything changes.
    public func loadStateDict(_ saved: OptimizerState) throws {
        let name = Self.name
        func mismatch(_ message: String) -> OptimizerError { .stateDictMismatch("\(name).loadStateDict: \(message)") }

        guard saved.optimizer == name else {
            throw mismatch("the state dict was saved by \(saved.optimizer), not \(name)")
        }
        guard saved.groups.count == paramGroups.count else {
            throw mismatch("the state dict has \(saved.groups.count) parameter groups, the optimizer has \(paramGroups.count)")
        }
        var newGroups = paramGroups
        var parameterAt: [Int: Parameter] = [:]
        for (g, savedGroup) in saved.groups.enumerated() {
            let current = paramGroups[g].parameters
            guard savedGroup.params.count == current.count else {
                throw mismatch("group \(g) has \(savedGroup.params.count) parameters in the state dict, \(current.count) in the optimizer")
            }
            for (index, parameter) in zip(savedGroup.params, current) { parameterAt[index] = parameter }
            newGroups[g].lr = savedGroup.lr
            do {
                newGroups[g].options = try Self.decodeOptions(savedGroup.options)
            } catch {
                throw mismatch("group \(g)'s options \(savedGroup.options) are not valid \(Options.self): \(error)")
            }
        }
        do { try Self.validate(newGroups) } catch { throw mismatch("\(error)") }

        var newState: [ObjectIdentifier: ParameterState] = [:]
        for (index, entries) in saved.tensors {
            guard let parameter = parameterAt[index] else {
                throw mismatch("state for parameter index \(index), which no group lists")
            }
            let restored = ParameterState()
            for (stateName, tensor) in entries {
                guard Self.stateNames.contains(stateName) else {
                    throw mismatch("parameter \(index) has state '\(stateName)', which \(name) does not keep (it keeps \(Self.stateNames.sorted()))")
                }
                guard tensor.dtype == .float32 else {
                    throw mismatch("parameter \(index)'s '\(stateName)' is \(tensor.dtype), expected float32")
                }
                if stateName == "step" {
                    guard tensor.count == 1 else {
                        throw mismatch("parameter \(index)'s 'step' has shape \(tensor.shape), expected a scalar")
                    }
                    let step = Double(tensor.item())
                    guard step >= 0, step.isFinite, step == step.rounded() else {
                        throw mismatch("parameter \(index)'s 'step' is \(step), expected a whole number >= 0")
                    }
                    restored.step = step
                    restored.hasStep = true
                } else {
                    guard tensor.shape == parameter.shape else {
                        throw mismatch("parameter \(index)'s '\(stateName)' has shape \(tensor.shape), the parameter has shape \(parameter.shape)")
                    }
                    restored.buffers[stateName] = tensor.copied()
                }
            }
            newState[ObjectIdentifier(parameter)] = restored
        }
        paramGroups = newGroups
        state = newState
    }

    /// `options` as a name → value map (via its `Codable` form).
    static func encodeOptions(_ options: Options) -> [String: HyperparameterValue] {
        do {
            let data = try JSONEncoder().encode(options)
            return try JSONDecoder().decode([String: HyperparameterValue].self, from: data)
        } catch {
            usageFailure("\(name): options \(options) are not a flat map of numbers and flags: \(error)")
        }
    }

    /// Options from a name → value map.
    static func decodeOptions(_ values: [String: HyperparameterValue]) throws -> Options {
        try JSONDecoder().decode(Options.self, from: JSONEncoder().encode(values))
    }
}
