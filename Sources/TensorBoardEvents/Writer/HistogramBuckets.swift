/// A histogram as TensorBoard's `HistogramProto` holds it: summary statistics and bucket counts.
///
/// Buckets are `bucketCount` equal-width intervals over `[min, max]`, as TensorFlow 2's
/// `tf.summary.histogram` makes them (not TF 1's fixed exponential edges): every bucket then
/// holds values, and the picture spans exactly the data. Bucket `i` counts the values in
/// `(limits[i-1], limits[i]]` (the first also takes `min`), which is how TensorBoard reads
/// `bucket_limit`; the last limit is `max`. When all values are equal there is one bucket.
public struct HistogramBuckets: Sendable, Equatable {
    /// The smallest value.
    public let min: Double
    /// The largest value.
    public let max: Double
    /// How many values.
    public let count: Int
    /// Their sum.
    public let sum: Double
    /// The sum of their squares.
    public let sumOfSquares: Double
    /// Each bucket's right edge.
    public let limits: [Double]
    /// How many values fall in each bucket.
    public let counts: [Double]

    /// TensorFlow 2's default number of buckets.
    public static let defaultBucketCount = 30

    /// The histogram of `values` (non-finite values are left out, as they have no bucket);
    /// `nil` when no finite value remains.
    public init?(_ values: [Float], bucketCount: Int = defaultBucketCount) {
        precondition(bucketCount >= 1, "HistogramBuckets: bucketCount must be at least 1, got \(bucketCount)")
        let finite = values.lazy.filter(\.isFinite).map(Double.init)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        var sum = 0.0, squares = 0.0, count = 0
        for value in finite {
            sum += value
            squares += value * value
            count += 1
        }
        let buckets = low == high ? 1 : bucketCount
        let width = (high - low) / Double(buckets)
        var counts = [Double](repeating: 0, count: buckets)
        for value in finite {
            // Ceiling of the offset, so a value on an edge goes to the bucket it closes.
            let index = width == 0 ? 0 : Int(((value - low) / width).rounded(.up)) - 1
            counts[Swift.min(buckets - 1, Swift.max(0, index))] += 1
        }
        self.min = low
        self.max = high
        self.count = count
        self.sum = sum
        self.sumOfSquares = squares
        self.limits = (1...buckets).map { $0 == buckets ? high : low + Double($0) * width }
        self.counts = counts
    }
}
