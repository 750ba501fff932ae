/// Why an optimizer, its parameter groups, a scheduler or a loaded state dict was rejected.
public enum OptimizerError: Error, Equatable, CustomStringConvertible {
    /// A hyperparameter is out of range (negative learning rate, betas outside [0, 1), …).
    case invalidOption(String)
    /// The parameter groups are malformed (no parameters, a parameter in two groups, …).
    case invalidParameterGroups(String)
    /// A state dict does not fit this optimizer or scheduler (other type, other groups, other shapes).
    case stateDictMismatch(String)

    /// The message naming the problem.
    public var description: String {
        switch self {
        case .invalidOption(let message), .invalidParameterGroups(let message), .stateDictMismatch(let message):
            return message
        }
    }
}

/// Throws `.invalidOption(message)` unless `condition` holds.
@inline(__always)
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw OptimizerError.invalidOption(message()) }
}
