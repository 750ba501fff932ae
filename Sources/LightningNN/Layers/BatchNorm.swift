/// Batch normalization's state and forward pass, shared by ``BatchNorm1d`` and ``BatchNorm2d``
/// (PyTorch's `_BatchNorm`); use one of those.
public class BatchNormBase: Module {
    /// The per-channel scale γ, initialized to 1; `nil` without `affine`.
    public let weight: Parameter?
    /// The per-channel shift β, initialized to 0; `nil` without `affine` or `bias`.
    public let bias: Parameter?
    /// The running mean (starts at 0); `nil` without `trackRunningStats`.
    public let runningMean: Buffer?
    /// The running unbiased variance (starts at 1); `nil` without `trackRunningStats`.
    public let runningVar: Buffer?
    /// How many training batches updated the running statistics (int64 scalar); `nil` without
    /// `trackRunningStats`.
    public let numBatchesTracked: Buffer?
    /// The number of channels `C`.
    public let numFeatures: Int
    /// Added to the variance before the square root.
    public let eps: Float
    /// The weight of each new batch in the running statistics, or `nil` for a cumulative average.
    public let momentum: Float?
    /// Sums the training statistics over the processes sharing the batch (see
    /// ``Module/synchronizeBatchNorm(with:)``); this process's batch alone by default.
    public var statistics: any BatchStatisticsReducer = LocalBatchStatistics()
    /// The `bias` argument as given, which PyTorch prints even when `affine` is off.
    private let biasOption: Bool

    /// The input ranks this layer accepts, and how its complaint names them.
    var acceptedRanks: [Int] { [] }
    var acceptedRanksText: String { "" }

    /// Creates the state; `bias: false` keeps a learnable scale but no shift.
    init(numFeatures: Int, eps: Float, momentum: Float?, affine: Bool, bias: Bool, trackRunningStats: Bool) {
        usagePrecondition(numFeatures >= 1, "\(Self.self): num_features must be positive, got \(numFeatures)")
        if let momentum { usagePrecondition(momentum >= 0 && momentum <= 1, "\(Self.self): momentum must be in [0, 1], got \(momentum)") }
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        biasOption = bias
        weight = affine ? Parameter(Tensor.ones([numFeatures])) : nil
        self.bias = affine && bias ? Parameter(Tensor.zeros([numFeatures])) : nil
        runningMean = trackRunningStats ? Buffer(Tensor.zeros([numFeatures])) : nil
        runningVar = trackRunningStats ? Buffer(Tensor.ones([numFeatures])) : nil
        numBatchesTracked = trackRunningStats ? Buffer(Tensor(shape: [], int64Scalars: [0])) : nil
    }

    /// Whether the layer has learnable γ (and β unless created with `bias: false`).
    public var affine: Bool { weight != nil }

    /// Whether the layer keeps running statistics for evaluation.
    public var trackRunningStats: Bool { runningMean != nil }

    /// Sets the running statistics back to mean 0, variance 1 and no batches, in place.
    public func resetRunningStats() {
        runningMean?.value.fill(0)
        runningVar?.value.fill(1)
        numBatchesTracked?.value.withUnsafeMutableInt64BufferPointer { $0.update(repeating: 0) }
    }

    /// Normalizes with batch statistics in training (updating the running ones in place) and with
    /// the running statistics in evaluation; without them it always uses the batch's.
    public override func forward(_ input: Tensor) -> Tensor {
        if !acceptedRanks.contains(input.rank) {
            tensorFailure("\(type(of: self))", "expected \(acceptedRanksText) input (got \(input.rank)D input)")
        }
        var factor = momentum ?? 0
        if isTraining, let counter = numBatchesTracked {
            let count = counter.value.withUnsafeMutableInt64BufferPointer { count in
                count[0] += 1
                return count[0]
            }
            // PyTorch's cumulative moving average: batch k gets weight 1/k.
            if momentum == nil { factor = Float(1 / Double(count)) }
        }
        return batchNorm(input, runningMean: runningMean?.value, runningVar: runningVar?.value,
                         weight: weight?.value, bias: bias?.value,
                         training: isTraining || !trackRunningStats, momentum: factor, eps: eps,
                         // As PyTorch's SyncBatchNorm, evaluation without running statistics stays local.
                         statistics: isTraining ? statistics : LocalBatchStatistics())
    }

    /// `4, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True`, as PyTorch prints it.
    public override var extraDescription: String {
        "\(numFeatures), eps=\(LayerSupport.python(eps)), momentum=\(momentum.map(LayerSupport.python) ?? "None"), "
            + "affine=\(LayerSupport.python(affine)), bias=\(LayerSupport.python(biasOption)), "
            + "track_running_stats=\(LayerSupport.python(trackRunningStats))"
    }
}

/// Batch normalization over `[N, C]` or `[N, C, L]`, PyTorch's `nn.BatchNorm1d`.
public final class BatchNorm1d: BatchNormBase {
    /// Normalization of `numFeatures` channels; `momentum: nil` keeps a cumulative average.
    public init(_ numFeatures: Int, eps: Float = 1e-5, momentum: Float? = 0.1, affine: Bool = true,
                bias: Bool = true, trackRunningStats: Bool = true) {
        super.init(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias,
                   trackRunningStats: trackRunningStats)
    }

    override var acceptedRanks: [Int] { [2, 3] }
    override var acceptedRanksText: String { "2D or 3D" }
}

/// Batch normalization over `[N, C, H, W]`, PyTorch's `nn.BatchNorm2d`.
public final class BatchNorm2d: BatchNormBase {
    /// Normalization of `numFeatures` channels; `momentum: nil` keeps a cumulative average.
    public init(_ numFeatures: Int, eps: Float = 1e-5, momentum: Float? = 0.1, affine: Bool = true,
                bias: Bool = true, trackRunningStats: Bool = true) {
        super.init(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias,
                   trackRunningStats: trackRunningStats)
    }

    override var acceptedRanks: [Int] { [4] }
    override var acceptedRanksText: String { "4D" }
}
