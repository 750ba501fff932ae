import Foundation
import Lightning

/// `swift-lightning data shard --input X [--targets Y] --output DIR --samples-per-shard N
/// [--format npy|safetensors]`: writes a sharded dataset (``ShardedDataset``) from a CSV, `.npy`,
/// IDX or safetensors file, atomically (``ShardWriter``).
///
/// Arrays are stored as the readers give them (floats as float32, integers as int64, MNIST
/// images as float32 pixels in [0, 1]), so `--data sharded` trains on exactly what `--data npy`,
/// `csv`, `mnist` or `safetensors` would. It takes no configuration, so it is parsed apart from
/// the training subcommands.
struct ShardCommand: Equatable, ToolCommand {
    /// The words on the command line.
    static let name = "data"
    /// The action after `data`.
    static let action = "shard"
    /// One line for the program's `--help`.
    static let summary = "shard a CSV, .npy, IDX or safetensors dataset for --data sharded (data shard --help)"

    var input: String
    var targets: String?
    var output: String
    var samplesPerShard: Int
    var format: ShardIndex.FileFormat = .npy
    /// CSV: the label column's name or index.
    var labelColumn: String = "label"
    /// CSV: whether labels are class indices (int64) or values (float32).
    var regression = false
    /// safetensors input: the tensor names of the inputs and targets.
    var inputKey = "x", targetKey = "y"

    /// A DataError is about the input.
    static func isInputError(_ error: any Error) -> Bool { error is DataError }

    /// The command's help.
    static func helpText(programName: String) -> String {
        """
        usage: \(programName) data shard --input FILE [--targets FILE] --output DIR --samples-per-shard N [--format npy|safetensors]

        Splits a dataset into shards of N samples (the last may be shorter) plus DIR/index.json
        (sample counts, dtypes, shapes and a CRC-32C per file), for `fit --data sharded --data.path DIR`.
        DIR must not exist; it appears only once every file is written and synced.

          --input FILE              .csv (features and a label column), .npy, .safetensors, or IDX (e.g. train-images-idx3-ubyte)
          --targets FILE            the targets as .npy or IDX (for .npy and IDX inputs; required for them)
          --output DIR              the directory to create (required)
          --samples-per-shard N     samples per shard (required)
          --format npy|safetensors  shard files: one .npy per array, or one .safetensors (default npy)
          --label-column NAME       CSV: the label column's name or index, -1 for the last (default label)
          --task classification|regression  CSV: labels as class indices or float values (default classification)
          --input-key NAME          safetensors: the inputs tensor (default x)
          --target-key NAME         safetensors: the targets tensor (default y)
        """
    }

    /// The command `arguments` (after `data`) stand for, or nil when they ask for help.
    static func parse(_ arguments: [String]) throws -> ShardCommand? {
        guard let first = arguments.first, first != "-h", first != "--help" else { return nil }
        guard first == action else { throw ConfigError.usage("data: unknown action '\(first)' (usage: data shard --input FILE --output DIR --samples-per-shard N)") }
        var values: [String: String] = [:]
        let known = ["--input", "--targets", "--output", "--samples-per-shard", "--format", "--label-column", "--task", "--input-key", "--target-key"]
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "-h" || argument == "--help" { return nil }
            var key = argument, value: String?
            if let equals = argument.firstIndex(of: "=") {
                key = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            guard known.contains(key) else {
                throw ConfigError.usage("data shard: unknown option '\(argument)' (see data shard --help)")
            }
            if value == nil {
                guard index < arguments.count else { throw ConfigError.usage("data shard \(key): expected a value") }
                value = arguments[index]
                index += 1
            }
            values[key] = value
        }
        guard let input = values["--input"], !input.isEmpty else { throw ConfigError.usage("data shard: expected --input FILE") }
        guard let output = values["--output"], !output.isEmpty else { throw ConfigError.usage("data shard: expected --output DIR") }
        guard let text = values["--samples-per-shard"] else { throw ConfigError.usage("data shard: expected --samples-per-shard N") }
        guard let samples = Int(text), samples >= 1 else {
            throw ConfigError.usage("data shard --samples-per-shard: expected a whole number >= 1, got '\(text)'")
        }
        var command = ShardCommand(input: input, targets: values["--targets"], output: output, samplesPerShard: samples)
        if let format = values["--format"] {
            guard let parsed = ShardIndex.FileFormat(rawValue: format) else {
                throw ConfigError.usage("data shard --format: expected npy or safetensors, got '\(format)'")
            }
            command.format = parsed
        }
        if let task = values["--task"] {
            guard task == "classification" || task == "regression" else {
                throw ConfigError.usage("data shard --task: expected classification or regression, got '\(task)'")
            }
            command.regression = task == "regression"
        }
        command.labelColumn = values["--label-column"] ?? command.labelColumn
        command.inputKey = values["--input-key"] ?? command.inputKey
        command.targetKey = values["--target-key"] ?? command.targetKey
        return command
    }

    /// Reads the input, writes the shards (rank 0 only, under a launcher) and returns what it wrote.
    func execute() throws -> String {
        let columns = try readColumns()
        guard LaunchEnvironment.isRankZero else { return "" }
        let index = try ShardWriter.write(columns, to: output, samplesPerShard: samplesPerShard, format: format)
        let arrays = index.columns.map { "\($0.name) \($0.dtype) \($0.sampleShape)" }.joined(separator: ", ")
        return "wrote \(output): \(index.sampleCount) samples in \(index.shards.count) \(format.rawValue) shards (\(arrays))"
    }

    /// The input's arrays, named `x` and `y`, as the readers and mappers give them.
    func readColumns() throws -> [ShardColumn] {
        guard FileManager.default.fileExists(atPath: input) else { throw DataError(.unreadable, file: input, "no such file") }
        let lower = input.lowercased()
        if lower.hasSuffix(".csv") {
            if targets != nil { throw ConfigError.usage("data shard: a CSV input holds its labels (--label-column); --targets is for .npy and IDX inputs") }
            let table = try CSV.read(path: input, labelColumn: Int(labelColumn).map(CSV.LabelColumn.index) ?? .name(labelColumn),
                                     labelType: regression ? .float32 : .int64)
            return [ShardColumn(name: "x", tensor: table.features), ShardColumn(name: "y", tensor: table.labels!)]
        }
        if lower.hasSuffix(".safetensors") {
            if targets != nil { throw ConfigError.usage("data shard: a safetensors input holds its targets (--target-key); --targets is for .npy and IDX inputs") }
            let arrays = try MappedTensorDataset<[Tensor]>(safetensorsFile: input, names: [inputKey, targetKey]).arrays
            return [ShardColumn(name: "x", array: arrays[0]), ShardColumn(name: "y", array: arrays[1])]
        }
        guard let targets else { throw ConfigError.usage("data shard: a .npy or IDX input needs --targets FILE") }
        guard FileManager.default.fileExists(atPath: targets) else { throw DataError(.unreadable, file: targets, "no such file") }
        let inputs = try Self.map(input, images: true), labels = try Self.map(targets, images: false)
        if inputs.rowCount != labels.rowCount {
            throw DataError(.mismatch, file: targets, "has \(labels.rowCount) rows but \(input) has \(inputs.rowCount)")
        }
        return [ShardColumn(name: "x", array: inputs), ShardColumn(name: "y", array: labels)]
    }

    /// A `.npy` or IDX file mapped as its reader converts it (an MNIST image file as float32 pixels in [0, 1]).
    private static func map(_ path: String, images: Bool) throws -> MappedArray {
        if path.lowercased().hasSuffix(".npy") { return try NPY.map(path: path) }
        if images, let pixels = try? IDX.mapImages(path: path) { return pixels }
        return try IDX.map(path: path)
    }
}
