import Foundation
import Lightning

/// The built-in data modules' options.
enum DataOptions {
    static let batchSize = ConfigOption<Int>("batch_size", default: 64, help: "samples per batch", minimum: 1)
    static let valFraction = ConfigOption<Double>("val_fraction", default: 0.1, help: "share held out for validation",
                                                  valid: { $0 >= 0 && $0 < 1 }, expected: "a number in [0, 1)")
    static let testFraction = ConfigOption<Double>("test_fraction", default: 0.1, help: "share held out for testing and prediction",
                                                   valid: { $0 >= 0 && $0 < 1 }, expected: "a number in [0, 1)")
    static let flat = ConfigOption<Bool>("flat", default: true, help: "images as [64] rows (false: [1, 8, 8])")
    static let syntheticTask = ConfigOption<ModelTask>("task", default: .classification, help: "classification or regression")
    static let samples = ConfigOption<Int>("samples", default: 1024, help: "samples generated", minimum: 10)
    static let features = ConfigOption<Int>("features", default: 32, help: "input features", minimum: 1)
    static let classes = ConfigOption<Int>("classes", default: 10, help: "classes (classification)", minimum: 1)
    static let outputs = ConfigOption<Int>("outputs", default: 1, help: "target values per sample (regression)", minimum: 1)
    static let noise = ConfigOption<Double>("noise", default: 0.5, help: "standard deviation of the noise", valid: { $0 >= 0 && $0.isFinite }, expected: "a number >= 0")
    static let path = requiredFile("path", "the CSV file")
    static let labelColumn = ConfigOption<String>("label_column", default: "label", help: "the label column's header name, or its index (-1: the last)")
    static let fileTask = ConfigOption<ModelTask>("task", default: .classification,
                                                  help: "classification (integer labels) or regression (float targets)")
    static let delimiter = ConfigOption<String>("delimiter", default: ",", help: "the field separator")
    static let hasHeader = ConfigOption<Bool>("has_header", default: true, help: "whether the first line names the columns")
    static let inputs = requiredFile("inputs", "the .npy file of inputs, [N, ...]")
    static let targets = requiredFile("targets", "the .npy file of targets, [N] (labels or values) or [N, k]")
    static let predictInputs = ConfigOption<String?>("predict_inputs", default: nil,
                                                     help: "a .npy file of new inputs, rows shaped like `inputs`, that predict runs on whole and in order (default: the test split)")
    static let safetensorsPath = requiredFile("path", "the .safetensors file")
    static let inputKey = ConfigOption<String>("inputs", default: "x", help: "the name of the inputs tensor, [N, ...], in the file")
    static let targetKey = ConfigOption<String>("targets", default: "y", help: "the name of the targets tensor, [N] or [N, k], in the file")
    static let mmap = ConfigOption<Bool>("mmap", default: true,
                                         help: "map the files (read on demand, pages shared by every rank on a node); false reads them into memory")
    static let shardDirectory = ConfigOption<String?>("path", default: nil, help: "the directory `data shard` wrote (holding index.json) (required)",
                                                      valid: { $0 != nil && !$0!.isEmpty }, expected: "a directory path (required)")
    static let shardOrder = ConfigOption<ShardOrder>("order", default: .exact,
                                                     help: "exact: the in-memory shuffle; shard_local: whole shards per rank, each node reads only its own")
    static let verifyChecksums = ConfigOption<Bool>("verify_checksums", default: true,
                                                    help: "check every shard's CRC-32C at start (reads all shards; sizes are always checked)")
    static let images = requiredFile("images", "the IDX image file (e.g. train-images-idx3-ubyte)")
    static let labels = requiredFile("labels", "the IDX label file (e.g. train-labels-idx1-ubyte)")

    private static func requiredFile(_ key: String, _ what: String) -> ConfigOption<String?> {
        ConfigOption(key, default: nil, help: "\(what) (required)", valid: { $0 != nil && !$0!.isEmpty }, expected: "a file path (required)")
    }

    /// The split options with this module's default seed.
    static func split(seed: UInt64) -> [any AnyConfigOption] {
        [batchSize, valFraction, testFraction, ConfigOption<UInt64>("seed", default: seed, help: "seeds the split and the training shuffle")]
    }

    /// The split options, checked together.
    struct Split {
        let batchSize: Int, valFraction: Double, testFraction: Double, seed: UInt64

        init(_ s: ConfigSection) throws {
            batchSize = s[DataOptions.batchSize]
            valFraction = s[DataOptions.valFraction]
            testFraction = s[DataOptions.testFraction]
            seed = s[ConfigOption<UInt64>("seed", default: 0)]
            guard valFraction + testFraction < 1 else {
                throw s.invalid(DataOptions.testFraction, expected: "a share that leaves training data: val_fraction + test_fraction < 1 (val_fraction is \(valFraction))")
            }
        }
    }

    /// A split module over loaded tensors, described by their shapes and targets.
    static func module(_ inputs: Tensor, _ targets: Tensor, task: ModelTask, split: Split, predict: PredictInputs? = nil) throws -> (TensorDataModule, DataInfo) {
        let info = describe(inputShape: Array(inputs.shape.dropFirst()), targets: targets, task: task)
        return (splitModule(TensorDataset(inputs, targets), split: split, predict: predict), info)
    }

    /// A split module over mapped arrays (the splits are index lists: nothing is copied); only
    /// the targets are read now, to count classes.
    static func module(_ dataset: MappedTensorDataset<(Tensor, Tensor)>, task: ModelTask, split: Split,
                       predict: PredictInputs? = nil) throws -> (TensorDataModule, DataInfo) {
        let info = describe(inputShape: dataset.arrays[0].rowShape, targets: dataset.arrays[1].materialized(), task: task)
        return (splitModule(dataset, split: split, predict: predict), info)
    }

    /// The model-facing description: input shape and the class count (highest label + 1) or target width.
    static func describe(inputShape: [Int], targets: Tensor, task: ModelTask) -> DataInfo {
        switch task {
        case .classification:
            let labels = targets.int64s
            let highest = (0..<targets.count).reduce(Int64(-1)) { max($0, labels[$1]) }
            return DataInfo(inputShape: inputShape, targets: .classes(Int(highest) + 1))
        case .regression:
            return DataInfo(inputShape: inputShape, targets: .values(targets.shape.dropFirst().reduce(1, *)))
        }
    }

    private static func splitModule<D: Dataset>(_ dataset: D, split: Split, predict: PredictInputs?) -> TensorDataModule where D.Element == (Tensor, Tensor) {
        TensorDataModule(batchSize: split.batchSize, valFraction: split.valFraction, testFraction: split.testFraction, seed: split.seed,
                         predict: predict.map { inputs in { AnyDataset(inputs.dataset) } }) {
            dataset
        }
    }
}
