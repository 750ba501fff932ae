/// How a loss combines per-element values (PyTorch's `reduction=` argument).
public enum LossReduction: String, Sendable {
    /// The (weighted) mean.
    case mean
    /// The sum.
    case sum
    /// No reduction: one value per element.
    case none
}

extension Tensor {
    /// Applies `reduction` to a per-element loss.
    func reduced(_ reduction: LossReduction) -> Tensor {
        switch reduction {
        case .mean: return mean()
        case .sum: return sum()
        case .none: return self
        }
    }
}
