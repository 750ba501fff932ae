import Foundation
import Lightning

/// The built-in data modules: `digits` (bundled, the default), `synthetic`, `csv`, `npy`, `mnist`.
extension DataFactory {
    /// `digits`, `synthetic`, `csv`, `npy`, `mnist`.
    public static let builtIn: [DataFactory] = [digits, synthetic, csv, npy, mnist]

    /// The bundled UCI handwritten digits (1797 8×8 images, 10 classes).
    public static let digits = DataFactory(
        "digits", summary: "the bundled UCI handwritten digits: 1797 8×8 images, 10 classes",
        options: DataOptions.split(seed: 42) + [DataOptions.flat],
        describedBuild: { s in
        let split = try DataOptions.Split(s)
        let flat = s[DataOptions.flat]
        let module = DigitsDataModule(batchSize: split.batchSize, valFraction: split.valFraction, testFraction: split.testFraction,
                                      seed: split.seed, flat: flat)
        return (module, DataInfo(inputShape: flat ? [64] : [1, 8, 8], targets: .classes(DigitsDataModule.classCount)))
    })

    /// Generated Gaussian clusters or a noisy linear map.
    public static let synthetic = DataFactory(
        "synthetic", summary: "generated data: Gaussian clusters (classification) or a noisy linear map (regression)",
        options: DataOptions.split(seed: 0) + [DataOptions.syntheticTask, DataOptions.samples, DataOptions.features, DataOptions.classes,
                                               DataOptions.outputs, DataOptions.noise],
        describedBuild: { s in
        let split = try DataOptions.Split(s)
        let regression = s[DataOptions.syntheticTask] == .regression
        let task: SyntheticDataModule.Task = regression ? .regression(outputs: s[DataOptions.outputs]) : .classification(classes: s[DataOptions.classes])
        let module = SyntheticDataModule(task: task, samples: s[DataOptions.samples], features: s[DataOptions.features], batchSize: split.batchSize,
                                         valFraction: split.valFraction, testFraction: split.testFraction, noise: Float(s[DataOptions.noise]), seed: split.seed)
        let targets: DataInfo.Targets = regression ? .values(s[DataOptions.outputs]) : .classes(s[DataOptions.classes])
        return (module, DataInfo(inputShape: [s[DataOptions.features]], targets: targets))
    })

    /// A numeric CSV file with a header and a label column.
    public static let csv = DataFactory(
        "csv", summary: "a numeric CSV file with a header row and a label column",
        options: [DataOptions.path] + DataOptions.split(seed: 42) + [DataOptions.labelColumn, DataOptions.fileTask, DataOptions.delimiter, DataOptions.hasHeader],
        describedBuild: { s in
        let split = try DataOptions.Split(s)
        let path = try DataOptions.existingFile(s, DataOptions.path)
        let column = s[DataOptions.labelColumn]
        let task = s[DataOptions.fileTask]
        guard s[DataOptions.delimiter].count == 1, let delimiter = s[DataOptions.delimiter].first, delimiter.isASCII, delimiter != "\n", delimiter != "\"" else {
            throw s.invalid(DataOptions.delimiter, expected: "one ASCII character other than a newline or a quote")
        }
        let table = try CSV.read(path: path, labelColumn: Int(column).map(CSV.LabelColumn.index) ?? .name(column),
                                 labelType: task == .classification ? .int64 : .float32, hasHeader: s[DataOptions.hasHeader], delimiter: delimiter)
        return try DataOptions.module(table.features, table.labels!, task: task, split: split)
    })

    /// Inputs and targets in two `.npy` files.
    public static let npy = DataFactory(
        "npy", summary: "inputs and targets from two NumPy .npy files with the same first dimension",
        options: [DataOptions.inputs, DataOptions.targets] + DataOptions.split(seed: 42) + [DataOptions.fileTask],
        describedBuild: { s in
        let split = try DataOptions.Split(s)
        let task = s[DataOptions.fileTask]
        let inputs = try NPY.read(path: try DataOptions.existingFile(s, DataOptions.inputs), as: .float32)
        let targets = try NPY.read(path: try DataOptions.existingFile(s, DataOptions.targets), as: task == .classification ? .int64 : .float32)
        guard inputs.rank >= 1, targets.rank >= 1, inputs.shape[0] == targets.shape[0] else {
            throw s.invalid(DataOptions.targets, expected: "a file with as many rows as inputs (\(inputs.shape.first ?? 0)); it has shape \(targets.shape)")
        }
        return try DataOptions.module(inputs, targets, task: task, split: split)
    })

    /// MNIST-style IDX image and label files.
    public static let mnist = DataFactory(
        "mnist", summary: "MNIST-style IDX files (uncompressed): images and labels",
        options: [DataOptions.images, DataOptions.labels] + DataOptions.split(seed: 42),
        describedBuild: { s in
        let split = try DataOptions.Split(s)
        let dataset = try IDX.dataset(images: try DataOptions.existingFile(s, DataOptions.images), labels: try DataOptions.existingFile(s, DataOptions.labels))
        return try DataOptions.module(dataset.tensors[0], dataset.tensors[1], task: .classification, split: split)
    })
}

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

    /// The option's path, which must name a file.
    static func existingFile(_ s: ConfigSection, _ option: ConfigOption<String?>) throws -> String {
        guard let path = s[option], FileManager.default.fileExists(atPath: path) else {
            throw s.invalid(option, expected: "an existing file")
        }
        return path
    }

    /// A split module over loaded tensors, described by their shapes and targets.
    static func module(_ inputs: Tensor, _ targets: Tensor, task: ModelTask, split: Split) throws -> (TensorDataModule, DataInfo) {
        let dataset = TensorDataset(inputs, targets)
        let info: DataInfo
        switch task {
        case .classification:
            let labels = targets.int64s
            let highest = (0..<targets.count).reduce(Int64(-1)) { max($0, labels[$1]) }
            info = DataInfo(inputShape: Array(inputs.shape.dropFirst()), targets: .classes(Int(highest) + 1))
        case .regression:
            info = DataInfo(inputShape: Array(inputs.shape.dropFirst()), targets: .values(targets.shape.dropFirst().reduce(1, *)))
        }
        let module = TensorDataModule(batchSize: split.batchSize, valFraction: split.valFraction, testFraction: split.testFraction, seed: split.seed) {
            dataset
        }
        return (module, info)
    }
}
