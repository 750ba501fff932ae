/// The per-group hyperparameters of one optimizer type (everything but the learning rate).
///
/// Options are plain `Codable` values so a checkpoint can store each group's settings as JSON
/// next to the state tensors.
public protocol OptimizerOptions: Codable {
    /// PyTorch's defaults.
    init()

    /// Throws ``OptimizerError/invalidOption(_:)`` naming the first out-of-range value.
    func validate() throws

    /// The value OneCycleLR cycles (SGD/RMSprop `momentum`, Adam's β₁); `nil` when there is none.
    var cycledMomentum: Double? { get set }
}

extension OptimizerOptions {
    /// No cycled momentum unless the options say otherwise.
    public var cycledMomentum: Double? {
        get { nil }
        set {}
    }
}
