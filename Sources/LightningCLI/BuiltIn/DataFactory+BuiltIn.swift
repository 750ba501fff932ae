import Foundation
import Lightning

/// The built-in data modules: `digits` (bundled, the default), `synthetic`, `csv`, `npy`, `mnist`,
/// `safetensors`, `sharded`. The binary formats are memory-mapped unless `mmap` is false.
extension DataFactory {
    /// `digits`, `synthetic`, `csv`, `npy`, `mnist`, `safetensors`, `sharded`.
    public static let builtIn: [DataFactory] = [digits, synthetic, csv, npy, mnist, safetensors, sharded]

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
        let path = try s.existingFile(DataOptions.path)
        let column = s[DataOptions.labelColumn]
        let task = s[DataOptions.fileTask]
        guard s[DataOptions.delimiter].count == 1, let delimiter = s[DataOptions.delimiter].first, delimiter.isASCII, delimiter != "\n", delimiter != "\"" else {
            throw s.invalid(DataOptions.delimiter, expected: "one ASCII character other than a newline or a quote")
        }
        let table = try CSV.read(path: path, labelColumn: Int(column).map(CSV.LabelColumn.index) ?? .name(column),
                                 labelType: task == .classification ? .int64 : .float32, hasHeader: s[DataOptions.hasHeader], delimiter: delimiter)
        return try DataOptions.module(table.features, table.labels!, task: task, split: split)
    })

    /// Inputs and targets in two `.npy` files, memory-mapped unless `mmap` is false.
    public static let npy = DataFactory(
        "npy", summary: "inputs and targets from two NumPy .npy files with the same first dimension",
        options: [DataOptions.inputs, DataOptions.targets] + DataOptions.split(seed: 42) + [DataOptions.fileTask, DataOptions.mmap,
                                                                                            DataOptions.predictInputs],
        describedBuild: { s in
        let split = try DataOptions.Split(s)
        let task = s[DataOptions.fileTask]
        let inputsPath = try s.existingFile(DataOptions.inputs), targetsPath = try s.existingFile(DataOptions.targets)
        let targetDType: DType = task == .classification ? .int64 : .float32
        let predict = try DataOptions.openPredictInputs(s, targetDType: targetDType)
        if s[DataOptions.mmap] {
            let inputs = try NPY.map(path: inputsPath, as: .float32), targets = try NPY.map(path: targetsPath, as: targetDType)
            guard inputs.rowCount == targets.rowCount else {
                throw s.invalid(DataOptions.targets, expected: "a file with as many rows as inputs (\(inputs.rowCount)); it has shape \(targets.shape)")
            }
            try predict?.check(rowShape: inputs.rowShape, s)
            return try DataOptions.module(MappedTensorDataset(inputs, targets), task: task, split: split, predict: predict)
        }
        let inputs = try NPY.read(path: inputsPath, as: .float32)
        let targets = try NPY.read(path: targetsPath, as: targetDType)
        guard inputs.rank >= 1, targets.rank >= 1, inputs.shape[0] == targets.shape[0] else {
            throw s.invalid(DataOptions.targets, expected: "a file with as many rows as inputs (\(inputs.shape.first ?? 0)); it has shape \(targets.shape)")
        }
        try predict?.check(rowShape: Array(inputs.shape.dropFirst()), s)
        return try DataOptions.module(inputs, targets, task: task, split: split, predict: predict)
    })

    /// MNIST-style IDX image and label files, memory-mapped unless `mmap` is false.
    public static let mnist = DataFactory(
        "mnist", summary: "MNIST-style IDX files (uncompressed): images and labels",
        options: [DataOptions.images, DataOptions.labels] + DataOptions.split(seed: 42) + [DataOptions.mmap],
        describedBuild: { s in
        let split = try DataOptions.Split(s)
        let images = try s.existingFile(DataOptions.images), labels = try s.existingFile(DataOptions.labels)
        if s[DataOptions.mmap] {
            return try DataOptions.module(IDX.mappedDataset(images: images, labels: labels), task: .classification, split: split)
        }
        let dataset = try IDX.dataset(images: images, labels: labels)
        return try DataOptions.module(dataset.tensors[0], dataset.tensors[1], task: .classification, split: split)
    })

    /// Inputs and targets as two named tensors of one safetensors file, memory-mapped.
    public static let safetensors = DataFactory(
        "safetensors", summary: "inputs and targets from two named tensors in one .safetensors file",
        options: [DataOptions.safetensorsPath, DataOptions.inputKey, DataOptions.targetKey] + DataOptions.split(seed: 42) + [DataOptions.fileTask],
        describedBuild: { s in
        let split = try DataOptions.Split(s)
        let task = s[DataOptions.fileTask]
        let dataset = try MappedTensorDataset<(Tensor, Tensor)>(
            safetensorsFile: try s.existingFile(DataOptions.safetensorsPath), input: s[DataOptions.inputKey],
            target: s[DataOptions.targetKey], targetDType: task == .classification ? .int64 : .float32)
        return try DataOptions.module(dataset, task: task, split: split)
    })

    /// A directory of shards written by `swift-lightning data shard`, mapped shard by shard.
    public static let sharded = DataFactory(
        "sharded", summary: "a directory of .npy or safetensors shards with an index.json (swift-lightning data shard)",
        options: [DataOptions.shardDirectory, DataOptions.inputKey, DataOptions.targetKey] + DataOptions.split(seed: 42)
            + [DataOptions.fileTask, DataOptions.shardOrder, DataOptions.verifyChecksums],
        describedBuild: { s in
        let split = try DataOptions.Split(s)
        let task = s[DataOptions.fileTask]
        let path = try s.existingDirectory(DataOptions.shardDirectory)
        // Opening checks every shard against the index, so a damaged dataset stops the run here,
        // before any training, with every problem listed.
        let dataset = try ShardedDataset<(Tensor, Tensor)>(
            directory: path, input: s[DataOptions.inputKey], target: s[DataOptions.targetKey],
            targetDType: task == .classification ? .int64 : .float32, verifyChecksums: s[DataOptions.verifyChecksums])
        let info = DataOptions.describe(inputShape: dataset.index.columns.first { $0.name == s[DataOptions.inputKey] }!.sampleShape,
                                        targets: dataset.materializedColumn(1), task: task)
        let module = ShardedDataModule(dataset: dataset, order: s[DataOptions.shardOrder], batchSize: split.batchSize,
                                       valFraction: split.valFraction, testFraction: split.testFraction, seed: split.seed)
        return (module, info)
    })
}
