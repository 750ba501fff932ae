/// Where `log` may be called and what it defaults to there, as Lightning's `_FxValidator`.
struct HookLogRule {
    /// Which results collection the hook logs into.
    let stage: ResultStage
    /// Whether `onStep: true` is allowed.
    let allowsStep: Bool
    /// The default of `onStep`.
    let defaultOnStep: Bool

    /// Epoch accumulation is allowed everywhere logging is; it is the default where step logging is not.
    var defaultOnEpoch: Bool { !defaultOnStep }

    /// The rule for `hook`, or `nil` where logging is not supported.
    static func rule(for hook: String) -> HookLogRule? { rules[hook] }

    private static let rules: [String: HookLogRule] = {
        var table: [String: HookLogRule] = [:]
        for hook in ["training_step", "on_train_batch_start", "on_train_batch_end", "on_before_backward", "on_after_backward",
                     "on_before_optimizer_step", "on_before_zero_grad"] {
            table[hook] = HookLogRule(stage: .train, allowsStep: true, defaultOnStep: true)
        }
        for hook in ["on_train_start", "on_train_epoch_start", "on_train_epoch_end", "training_epoch_end"] {
            table[hook] = HookLogRule(stage: .train, allowsStep: false, defaultOnStep: false)
        }
        for hook in ["validation_step", "on_validation_batch_start", "on_validation_batch_end"] {
            table[hook] = HookLogRule(stage: .validation, allowsStep: true, defaultOnStep: false)
        }
        for hook in ["on_validation_start", "on_validation_epoch_start", "on_validation_epoch_end", "validation_epoch_end"] {
            table[hook] = HookLogRule(stage: .validation, allowsStep: false, defaultOnStep: false)
        }
        for hook in ["test_step", "on_test_batch_start", "on_test_batch_end"] {
            table[hook] = HookLogRule(stage: .test, allowsStep: true, defaultOnStep: false)
        }
        for hook in ["on_test_start", "on_test_epoch_start", "on_test_epoch_end", "test_epoch_end"] {
            table[hook] = HookLogRule(stage: .test, allowsStep: false, defaultOnStep: false)
        }
        return table
    }()
}

/// The results collection a hook logs into.
enum ResultStage: String, Codable {
    case train, validation, test
}
