import Lightning

/// The built-in models: `mlp` (the default) and `cnn`.
extension ModelFactory {
    /// `mlp` and `cnn`.
    public static let builtIn: [ModelFactory] = [mlp, cnn]

    /// A multilayer perceptron on flattened samples.
    public static let mlp = ModelFactory(
        "mlp", summary: "a multilayer perceptron (hidden_sizes, dropout, activation); classification or regression",
        options: [MLPOptions.hiddenSizes, MLPOptions.inputSize, HeadOptions.outputSize, HeadOptions.task, MLPOptions.dropout, MLPOptions.activation]
            + HeadOptions.training
    ) { section in
        let head = try Head(section)
        let inputSize = try MLPOptions.resolveInputSize(section)
        var layers: [Module] = []
        var width = inputSize
        for hidden in section[MLPOptions.hiddenSizes] {
            layers += [Linear(width, hidden), section[MLPOptions.activation].layer()]
            if section[MLPOptions.dropout] > 0 { layers.append(Dropout(Float(section[MLPOptions.dropout]))) }
            width = hidden
        }
        layers.append(Linear(width, head.outputSize))
        return BuiltInModel(net: Sequential(layers), task: head.task, sampleShape: [inputSize],
                            hyperparameters: hyperparameters(section, resolved: ["input_size": .int(inputSize), "output_size": .int(head.outputSize),
                                                                                 "task": .string(head.task.rawValue)]),
                            makeOptimizer: head.makeOptimizer)
    }

    /// A small LeNet-style convolutional network.
    public static let cnn = ModelFactory(
        "cnn", summary: "a LeNet-style CNN: conv blocks (channels) with max pooling, then a hidden layer; classification or regression",
        options: [CNNOptions.channels, CNNOptions.kernelSize, CNNOptions.hiddenSize, CNNOptions.inputShape, HeadOptions.outputSize, HeadOptions.task,
                  MLPOptions.dropout, MLPOptions.activation] + HeadOptions.training
    ) { section in
        let head = try Head(section)
        let shape = try CNNOptions.resolveInputShape(section)
        let channels = section[CNNOptions.channels], kernel = section[CNNOptions.kernelSize]
        let activation = section[MLPOptions.activation]
        var layers: [Module] = []
        var (depth, height, width) = (shape[0], shape[1], shape[2])
        for count in channels {
            guard height >= 2 && width >= 2 else {
                throw section.invalid(CNNOptions.channels, expected: "at most \(layers.count / 3) conv blocks for \(shape[1])×\(shape[2]) images (each block halves them)")
            }
            layers += [Conv2d(depth, count, kernelSize: kernel, padding: kernel / 2), activation.layer(), MaxPool2d(kernelSize: 2)]
            (depth, height, width) = (count, height / 2, width / 2)
        }
        layers.append(Flatten())
        var features = depth * height * width
        let hidden = section[CNNOptions.hiddenSize]
        if hidden > 0 {
            layers += [Linear(features, hidden), activation.layer()]
            features = hidden
        }
        if section[MLPOptions.dropout] > 0 { layers.append(Dropout(Float(section[MLPOptions.dropout]))) }
        layers.append(Linear(features, head.outputSize))
        return BuiltInModel(net: Sequential(layers), task: head.task, sampleShape: shape,
                            hyperparameters: hyperparameters(section, resolved: ["input_shape": .string(ConfigValue.list(shape.map(ConfigValue.int)).inlineText),
                                                                                 "output_size": .int(head.outputSize), "task": .string(head.task.rawValue)]),
                            makeOptimizer: head.makeOptimizer)
    }

    /// The section's options as hyperparameters (lists as their YAML text), with the sizes taken from the data.
    private static func hyperparameters(_ section: ConfigSection, resolved: Hyperparameters) -> Hyperparameters {
        var result: Hyperparameters = [:]
        for (key, value) in section.values.pairs {
            switch value {
            case .int(let i): result[key] = .int(i)
            case .double(let d): result[key] = .double(d)
            case .bool(let b): result[key] = .bool(b)
            case .string(let s): result[key] = .string(s)
            case .null: continue
            default: result[key] = .string(value.inlineText)
            }
        }
        return result.merging(resolved) { _, new in new }
    }
}

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

/// A built-in model's head and optimizer, from its options and the data's targets.
struct Head {
    let task: ModelTask
    let outputSize: Int
    let makeOptimizer: ([Parameter]) -> any Optimizer

    init(_ section: ConfigSection) throws {
        let targets = section.dataInfo?.targets
        switch (section[HeadOptions.task], targets) {
        case (.classification?, .values?):
            throw section.invalid(HeadOptions.task, expected: "regression (the data's targets are float values, not class indices) or null")
        case (.regression?, .classes?):
            throw section.invalid(HeadOptions.task, expected: "classification (the data's targets are class indices) or null")
        case (let given?, _): task = given
        case (nil, .values?): task = .regression
        case (nil, _): task = .classification
        }
        let dataOutputs: Int?
        switch targets {
        case .classes(let n)?: dataOutputs = n
        case .values(let n)?: dataOutputs = n
        case nil: dataOutputs = nil
        }
        switch (section[HeadOptions.outputSize], dataOutputs) {
        case (let given?, let data?) where task == .regression && given != data:
            throw section.invalid(HeadOptions.outputSize, expected: "\(data) (the data's targets have \(data) values) or null")
        case (let given?, let data?) where given < data:
            throw section.invalid(HeadOptions.outputSize, expected: "at least \(data) (the data has \(data) classes) or null")
        case (let given?, _): outputSize = given
        case (nil, let data?): outputSize = data
        case (nil, nil): throw section.invalid(HeadOptions.outputSize, expected: "an integer >= 1 (the data does not say how many classes or values it has)")
        }
        let (optimizer, lr, decay, momentum) = (section[HeadOptions.optimizer], section[HeadOptions.learningRate],
                                                section[HeadOptions.weightDecay], section[HeadOptions.momentum])
        makeOptimizer = { optimizer.make($0, lr: lr, weightDecay: decay, momentum: momentum) }
    }
}
