import LightningTensor

/// How ``Communicator/allReduce(_:op:)`` combines the ranks' elements.
public enum ReduceOp: UInt8, Sendable, CustomStringConvertible {
    /// The sum over ranks.
    case sum
    /// The sum over ranks divided by the world size (floating-point elements only).
    case mean
    /// The largest value over ranks.
    case max
    /// The smallest value over ranks.
    case min

    /// The name as it prints (`sum`, `mean`, …).
    public var description: String {
        switch self {
        case .sum: return "sum"
        case .mean: return "mean"
        case .max: return "max"
        case .min: return "min"
        }
    }

    /// Stops with a usage failure when this op cannot reduce `element` values.
    func requireSupported(by element: CollectiveElement, caller: String) {
        if self == .mean && !element.isFloatingPoint {
            usageFailure("\(caller): mean needs floating-point elements, got \(element); reduce with .sum and divide")
        }
    }
}
