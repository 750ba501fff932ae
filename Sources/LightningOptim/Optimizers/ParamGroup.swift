/// Parameters that share a learning rate and options, like an entry of PyTorch's `param_groups`.
///
/// Options are reachable directly on the group (`group.momentum`) through dynamic member lookup.
@dynamicMemberLookup
public struct ParamGroup<Options: OptimizerOptions> {
    /// The parameters this group updates, in order.
    public var parameters: [Parameter]
    /// The learning rate (schedulers change it between steps).
    public var lr: Double
    /// The optimizer's other hyperparameters for this group.
    public var options: Options

    /// A group of `parameters` with learning rate `lr` and `options`.
    public init(_ parameters: [Parameter], lr: Double, options: Options = Options()) {
        self.parameters = parameters
        self.lr = lr
        self.options = options
    }

    /// Reads or writes one of the group's options.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<Options, Value>) -> Value {
        get { options[keyPath: keyPath] }
        set { options[keyPath: keyPath] = newValue }
    }
}
