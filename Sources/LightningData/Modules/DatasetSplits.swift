/// Train, validation and test subsets of one dataset, drawn with a seed.
///
/// Validation and test sizes are `count × fraction` rounded to the nearest sample; training
/// gets the rest. The same `(count, fractions, seed)` always gives the same split.
public struct DatasetSplits<Base: Dataset> {
    /// The training samples.
    public let train: Subset<Base>
    /// The validation samples.
    public let val: Subset<Base>
    /// The test samples.
    public let test: Subset<Base>

    /// Splits `base`; the fractions must be non-negative and sum to less than 1.
    public init(_ base: Base, valFraction: Double, testFraction: Double, seed: UInt64) {
        if !(valFraction >= 0 && testFraction >= 0 && valFraction + testFraction < 1) {
            tensorFailure("DatasetSplits", "valFraction \(valFraction) and testFraction \(testFraction) must be non-negative and sum to less than 1")
        }
        let n = base.count
        let val = Int((Double(n) * valFraction).rounded())
        let test = Int((Double(n) * testFraction).rounded())
        let parts = base.randomSplit(lengths: [n - val - test, val, test], seed: seed)
        self.train = parts[0]
        self.val = parts[1]
        self.test = parts[2]
    }
}
