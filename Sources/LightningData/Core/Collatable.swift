/// A sample type the default collation knows how to batch: `DataLoader` uses it when no
/// `collate` closure is given.
public protocol Collatable {
    /// The samples combined into one batch of the same structure.
    static func collate(_ samples: [Self]) -> Self
}

extension Tensor: Collatable {
    /// The samples stacked along a new first dimension; int64 stays int64.
    public static func collate(_ samples: [Tensor]) -> Tensor {
        stackingSamples(samples, op: "collate")
    }
}

extension Array: Collatable where Element == Tensor {
    /// Position `k` of the batch is the stack of position `k` of every sample.
    public static func collate(_ samples: [[Tensor]]) -> [Tensor] {
        guard let width = samples.first?.count else { tensorFailure("collate", "cannot collate an empty list of samples") }
        for (i, s) in samples.enumerated() where s.count != width {
            tensorFailure("collate", "sample \(i) has \(s.count) tensors but sample 0 has \(width)")
        }
        return (0..<width).map { k in Tensor.stackingSamples(samples.map { $0[k] }, op: "collate") }
    }
}

/// Stacks each position of `(input, target)` samples (tuples cannot conform to protocols).
public func collate(_ samples: [(Tensor, Tensor)]) -> (Tensor, Tensor) {
    (Tensor.stackingSamples(samples.map { $0.0 }, op: "collate"),
     Tensor.stackingSamples(samples.map { $0.1 }, op: "collate"))
}

/// Stacks each position of triple samples.
public func collate(_ samples: [(Tensor, Tensor, Tensor)]) -> (Tensor, Tensor, Tensor) {
    (Tensor.stackingSamples(samples.map { $0.0 }, op: "collate"),
     Tensor.stackingSamples(samples.map { $0.1 }, op: "collate"),
     Tensor.stackingSamples(samples.map { $0.2 }, op: "collate"))
}
