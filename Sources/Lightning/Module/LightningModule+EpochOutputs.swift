/// The defaults of the epoch-end output hooks: nothing is collected and nothing is called.
extension LightningModuleProtocol {
    /// `false`: the epoch's step outputs are not kept.
    public static var collectsEpochOutputs: Bool { false }
    /// Does nothing.
    public func trainingEpochEnd(outputs: [TrainingOutput]) throws {}
    /// Does nothing.
    public func validationEpochEnd(outputs: [ValidationOutput]) throws {}
    /// Does nothing.
    public func testEpochEnd(outputs: [TestOutput]) throws {}
}
