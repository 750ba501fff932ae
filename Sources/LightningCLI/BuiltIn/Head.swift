import Lightning

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
