/// How many batches of a loader a run uses: a count or a fraction (Lightning's `limit_*_batches`
/// and `val_check_interval`, which take an int or a float). Write `5` or `0.25`.
public enum BatchLimit: Equatable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, CustomStringConvertible {
    /// At most this many batches.
    case count(Int)
    /// This share of the batches (rounded down, at least one when the share is positive).
    case fraction(Double)

    /// A count.
    public init(integerLiteral value: Int) { self = .count(value) }
    /// A fraction.
    public init(floatLiteral value: Double) { self = .fraction(value) }

    /// The number of batches out of `available`.
    public func batches(of available: Int) -> Int {
        switch self {
        case .count(let n): return Swift.min(n, available)
        case .fraction(let f):
            if f >= 1 { return available }
            let n = Int(Double(available) * f)
            return f > 0 && available > 0 ? Swift.max(1, n) : n
        }
    }

    /// Whether it selects any batch of a non-empty loader (`overfitBatches` is on when it does).
    var isPositive: Bool {
        switch self {
        case .count(let n): return n > 0
        case .fraction(let f): return f > 0
        }
    }

    /// `5` or `0.25`.
    public var description: String {
        switch self {
        case .count(let n): return "\(n)"
        case .fraction(let f): return "\(f)"
        }
    }

    /// Throws naming `argument` when the value is negative or a fraction above 1.
    func validate(_ argument: String) throws {
        switch self {
        case .count(let n) where n < 0:
            throw LightningError.misconfiguration("Trainer(\(argument): \(n)): must be a count >= 0 or a fraction in [0, 1]")
        case .fraction(let f) where !(f >= 0 && f <= 1):
            throw LightningError.misconfiguration("Trainer(\(argument): \(f)): must be a count >= 0 or a fraction in [0, 1]")
        default: break
        }
    }
}

/// How gradients are clipped before the optimizer steps.
public enum GradientClipAlgorithm: String, Codable, Sendable {
    /// Scale all gradients so their global 2-norm is at most the clip value.
    case norm
    /// Clamp each gradient element to ±the clip value.
    case value
}

/// Which loggers a Trainer writes to: `true` (a ``CSVLogger`` under `defaultRootDir`, the
/// default), `false` (none), or `.loggers([...])`.
public enum LoggerSetting: ExpressibleByBooleanLiteral {
    /// A CSVLogger under `defaultRootDir`.
    case automatic
    /// No logger.
    case disabled
    /// These loggers.
    case loggers([any ExperimentLogger])

    /// `true` for the default logger, `false` for none.
    public init(booleanLiteral value: Bool) { self = value ? .automatic : .disabled }

    /// One logger.
    public static func logger(_ logger: any ExperimentLogger) -> LoggerSetting { .loggers([logger]) }
}
