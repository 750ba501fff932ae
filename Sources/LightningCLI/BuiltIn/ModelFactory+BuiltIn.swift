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
