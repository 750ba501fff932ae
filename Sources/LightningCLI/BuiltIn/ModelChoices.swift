import Lightning

/// What a built-in model predicts: class logits trained with cross entropy, or values trained
/// with mean squared error.
enum ModelTask: String, CaseIterable, ConfigChoice {
    case classification, regression
}

/// The built-in models' activation functions.
enum ActivationChoice: String, CaseIterable, ConfigChoice {
    case relu, gelu, tanh, sigmoid, silu
    case leakyRelu = "leaky_relu"
    case elu

    /// A new layer.
    func layer() -> Module {
        switch self {
        case .relu: return ReLU()
        case .gelu: return GELU()
        case .tanh: return Tanh()
        case .sigmoid: return Sigmoid()
        case .silu: return SiLU()
        case .leakyRelu: return LeakyReLU()
        case .elu: return ELU()
        }
    }
}

/// The built-in models' optimizers (PyTorch's update rules).
enum OptimizerChoice: String, CaseIterable, ConfigChoice {
    case adam, adamw, sgd, rmsprop

    /// An optimizer over `parameters`; `momentum` applies to SGD and RMSprop.
    func make(_ parameters: [Parameter], lr: Double, weightDecay: Double, momentum: Double) -> any Optimizer {
        switch self {
        case .adam: return Adam(parameters, lr: lr, weightDecay: weightDecay)
        case .adamw: return AdamW(parameters, lr: lr, weightDecay: weightDecay)
        case .sgd: return SGD(parameters, lr: lr, momentum: momentum, weightDecay: weightDecay)
        case .rmsprop: return RMSprop(parameters, lr: lr, weightDecay: weightDecay, momentum: momentum)
        }
    }
}
