import Lightning

/// The MLP's options (dropout and activation are the CNN's too).
enum MLPOptions {
    static let hiddenSizes = ConfigOption<[Int]>("hidden_sizes", default: [128], help: "units of each hidden layer, e.g. [128, 64]",
                                                 valid: { $0.allSatisfy { $0 >= 1 } }, expected: "a list of integers >= 1")
    static let inputSize = ConfigOption<Int?>("input_size", default: nil, help: "input features (null: from the data)",
                                              valid: { $0 == nil || $0! >= 1 }, expected: "an integer >= 1 or null")
    static let dropout = ConfigOption<Double>("dropout", default: 0, help: "dropout probability after each hidden layer",
                                              valid: { $0 >= 0 && $0 < 1 }, expected: "a number in [0, 1)")
    static let activation = ConfigOption<ActivationChoice>("activation", default: .relu, help: "the hidden layers' activation")

    /// `input_size`, or the data's sample size; throws when they disagree or neither is known.
    static func resolveInputSize(_ section: ConfigSection) throws -> Int {
        let dataSize = section.dataInfo?.inputSize
        switch (section[inputSize], dataSize) {
        case (let given?, let data?) where given != data:
            throw section.invalid(inputSize, expected: "\(data) (the data's samples have \(data) values) or null")
        case (let given?, _): return given
        case (nil, let data?): return data
        case (nil, nil): throw section.invalid(inputSize, expected: "an integer >= 1 (the data does not say its sample size)")
        }
    }
}

/// The CNN's options.
enum CNNOptions {
    static let channels = ConfigOption<[Int]>("channels", default: [16, 32], help: "output channels of each conv block (conv, activation, 2×2 max pool)",
                                              valid: { !$0.isEmpty && $0.allSatisfy { $0 >= 1 } }, expected: "a non-empty list of integers >= 1")
    static let kernelSize = ConfigOption<Int>("kernel_size", default: 3, help: "odd convolution kernel size (padding keeps the image size)",
                                              valid: { $0 >= 1 && $0 % 2 == 1 }, expected: "an odd integer >= 1")
    static let hiddenSize = ConfigOption<Int>("hidden_size", default: 64, help: "units of the hidden layer after the conv blocks (0: none)", minimum: 0)
    static let inputShape = ConfigOption<[Int]?>("input_shape", default: nil, help: "[channels, height, width] (null: from the data)",
                                                 valid: { $0 == nil || (($0!.count == 3 || $0!.count == 2) && $0!.allSatisfy { $0 >= 1 }) },
                                                 expected: "[channels, height, width] or [height, width] of integers >= 1, or null")

    /// `[channels, height, width]` from `input_shape` or the data (flat square samples are one-channel images).
    static func resolveInputShape(_ section: ConfigSection) throws -> [Int] {
        let info = section.dataInfo
        if let given = section[inputShape] {
            let shape = given.count == 2 ? [1] + given : given
            if let info, info.inputSize != shape.reduce(1, *) {
                throw section.invalid(inputShape, expected: "a shape of \(info.inputSize) values (the data's samples are \(info.inputShape))")
            }
            return shape
        }
        guard let info else { throw section.invalid(inputShape, expected: "[channels, height, width] (the data does not say its sample shape)") }
        switch info.inputShape.count {
        case 3: return info.inputShape
        case 2: return [1] + info.inputShape
        default:
            let side = Int(Double(info.inputSize).squareRoot().rounded())
            guard side * side == info.inputSize else {
                throw section.invalid(inputShape, expected: "[channels, height, width] (the data's samples are \(info.inputShape), not square images)")
            }
            return [1, side, side]
        }
    }
}

/// The head and training options both models share.
enum HeadOptions {
    static let outputSize = ConfigOption<Int?>("output_size", default: nil, help: "classes (classification) or values (regression) (null: from the data)",
                                               valid: { $0 == nil || $0! >= 1 }, expected: "an integer >= 1 or null")
    static let task = ConfigOption<ModelTask?>("task", default: nil, help: "classification or regression (null: from the data's targets)")
    static let learningRate = ConfigOption<Double>("learning_rate", default: 1e-3, help: "the optimizer's learning rate",
                                                   valid: { $0 > 0 && $0.isFinite }, expected: "a number > 0")
    static let optimizer = ConfigOption<OptimizerChoice>("optimizer", default: .adam, help: "adam, adamw, sgd or rmsprop")
    static let weightDecay = ConfigOption<Double>("weight_decay", default: 0, help: "weight decay (decoupled for adamw)",
                                                  valid: { $0 >= 0 && $0.isFinite }, expected: "a number >= 0")
    static let momentum = ConfigOption<Double>("momentum", default: 0.9, help: "momentum for sgd and rmsprop",
                                               valid: { $0 >= 0 && $0 < 1 }, expected: "a number in [0, 1)")
    static let training: [any AnyConfigOption] = [learningRate, optimizer, weightDecay, momentum]
}
