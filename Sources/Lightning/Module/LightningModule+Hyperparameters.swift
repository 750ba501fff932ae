/// `saveHyperparameters`: what `hparams.yaml` and checkpoints record about how the module was built.
extension LightningModuleBase {
    /// Records the module's scalar stored properties (numbers, strings, flags) by their
    /// snake_case names, as Lightning's `save_hyperparameters()` records `__init__`'s arguments.
    ///
    /// Call it at the end of `init`; properties holding layers or tensors are not included.
    public func saveHyperparameters() {
        var values: Hyperparameters = [:]
        var mirror: Mirror? = Mirror(reflecting: self)
        while let current = mirror, current.subjectType != LightningModuleBase.self {
            for child in current.children {
                guard let label = child.label, !label.hasPrefix("$"),
                      let setting = HyperparameterSetting(reflecting: child.value) else { continue }
                values[Module.snakeCased(label)] = setting
            }
            mirror = current.superclassMirror
        }
        hparams.merge(values) { _, new in new }
    }

    /// Records `values` as hyperparameters (added to any recorded before).
    public func saveHyperparameters(_ values: Hyperparameters) {
        hparams.merge(values) { _, new in new }
    }
}
