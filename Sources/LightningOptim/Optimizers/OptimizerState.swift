/// A snapshot of an optimizer, laid out like PyTorch's `optimizer.state_dict()`.
///
/// Tensors are keyed by parameter index (position in ``Optimizer/parameters``) and state name
/// (`momentum_buffer`, `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`, `square_avg`, `grad_avg`, `sum`,
/// `step`); everything else is plain `Codable` values, so a checkpoint writer can store the tensors
/// as `optimizer.<i>.<param name>.<state>` and ``scalars`` as JSON.
public struct OptimizerState {
    /// Per-parameter state: parameter index → state name → tensor (`step` is a 0-d float32 tensor).
    public var tensors: [Int: [String: Tensor]]
    /// The non-tensor part: optimizer type and each group's hyperparameters.
    public var scalars: Scalars

    /// The JSON-friendly part of an optimizer state.
    public struct Scalars: Codable, Equatable {
        /// The optimizer type (`SGD`, `Adam`, …); loading into another type is an error.
        public var optimizer: String
        /// Each group's parameter indices and hyperparameters.
        public var groups: [ParamGroupState]

        /// Scalars for `optimizer` with `groups`.
        public init(optimizer: String, groups: [ParamGroupState]) {
            self.optimizer = optimizer
            self.groups = groups
        }
    }

    /// A state from its tensors and scalars (e.g. read back from a checkpoint).
    public init(tensors: [Int: [String: Tensor]], scalars: Scalars) {
        self.tensors = tensors
        self.scalars = scalars
    }

    /// The optimizer type this state came from.
    public var optimizer: String { scalars.optimizer }
    /// The saved parameter groups.
    public var groups: [ParamGroupState] { scalars.groups }
}

/// One saved parameter group: which parameters it held and its hyperparameters.
public struct ParamGroupState: Codable, Equatable {
    /// Indices of the group's parameters in the optimizer's parameter order (PyTorch's `params`).
    public var params: [Int]
    /// The learning rate when the state was taken.
    public var lr: Double
    /// The other hyperparameters by PyTorch's names (`momentum`, `weight_decay`, …).
    public var options: [String: HyperparameterValue]

    /// A group state holding `params`, `lr` and `options`.
    public init(params: [Int], lr: Double, options: [String: HyperparameterValue]) {
        self.params = params
        self.lr = lr
        self.options = options
    }
}

/// A hyperparameter value as JSON holds it: a number or a flag.
public enum HyperparameterValue: Codable, Equatable, CustomStringConvertible {
    /// A number (learning rate, momentum, ε, …).
    case number(Double)
    /// A flag (nesterov, amsgrad, …).
    case flag(Bool)

    /// Decodes a JSON boolean as `.flag` and a JSON number as `.number`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .flag(flag)
        } else {
            self = .number(try container.decode(Double.self))
        }
    }

    /// Encodes as a bare JSON number or boolean.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .flag(let value): try container.encode(value)
        }
    }

    /// The value as JSON would print it.
    public var description: String {
        switch self {
        case .number(let value): return "\(value)"
        case .flag(let value): return "\(value)"
        }
    }
}

extension OptimizerState {
    /// The tensors flattened to `<parameter name>.<state name>` keys, given each parameter's
    /// name in parameter order (a checkpoint writer adds its `optimizer.<i>.` prefix).
    public func namedTensors(parameterNames: [String]) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (index, states) in tensors {
            usagePrecondition(index >= 0 && index < parameterNames.count,
                         "OptimizerState.namedTensors: parameter index \(index) has no name (\(parameterNames.count) names given)")
            for (stateName, tensor) in states { result["\(parameterNames[index]).\(stateName)"] = tensor }
        }
        return result
    }

    /// Rebuilds per-parameter tensors from ``namedTensors(parameterNames:)``'s keys; throws naming
    /// a key whose parameter is not in `parameterNames`.
    public static func tensors(fromNamed named: [String: Tensor], parameterNames: [String]) throws -> [Int: [String: Tensor]] {
        var indexOf: [String: Int] = [:]
        for (i, name) in parameterNames.enumerated() { indexOf[name] = i }
        var result: [Int: [String: Tensor]] = [:]
        for (key, tensor) in named {
            // State names have no dots, parameter names do: split at the last dot.
            guard let dot = key.lastIndex(of: "."),
                  let index = indexOf[String(key[..<dot])] else {
                throw OptimizerError.stateDictMismatch("OptimizerState: key '\(key)' does not name a known parameter's state")
            }
            result[index, default: [:]][String(key[key.index(after: dot)...])] = tensor
        }
        return result
    }
}
