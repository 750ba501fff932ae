import Lightning

extension DataOptions {
    /// `data.predict_inputs`: new inputs that predict runs on whole and in order, mapped, each
    /// batch releasing the pages behind it (a rank reads its contiguous block once, front to back),
    /// so a rank's memory stays a few batches whatever the file's size.
    struct PredictInputs {
        /// The mapped inputs, with empty targets.
        let dataset: MappedTensorDataset<(Tensor, Tensor)>

        /// Checks the rows are shaped like the training inputs', naming both shapes if not.
        func check(rowShape: [Int], _ s: ConfigSection) throws {
            let found = dataset.arrays[0].rowShape
            guard found == rowShape else {
                throw s.invalid(DataOptions.predictInputs, expected: "a .npy file whose rows are shaped like the inputs' \(rowShape); its rows are \(found)")
            }
        }
    }

    /// The `predict_inputs` file mapped, or `nil` when the option is unset.
    static func openPredictInputs(_ s: ConfigSection, targetDType: DType) throws -> PredictInputs? {
        guard s[predictInputs] != nil else { return nil }
        let inputs = try NPY.map(path: try s.existingFile(predictInputs), as: .float32)
        return PredictInputs(dataset: MappedTensorDataset(unlabeled: inputs, targetDType: targetDType).releasingPagesBehind())
    }
}
