import Foundation
import Lightning

/// `swift-lightning convert-checkpoint IN.ckpt OUT.safetensors`: a PyTorch Lightning checkpoint's
/// `state_dict` as a safetensors file (`Module.load(from:)` reads it; so does Python's
/// `safetensors`). The `.ckpt` is read without executing anything (see `LightningCheckpoint`).
struct ConvertCheckpointCommand: Equatable, ToolCommand {
    /// The name on the command line.
    static let name = "convert-checkpoint"
    /// One line for the program's `--help`.
    static let summary = "write a PyTorch Lightning .ckpt's state_dict as safetensors"

    /// The checkpoint to read.
    var input: String
    /// The safetensors file to write.
    var output: String

    /// A TorchCheckpointError is about the input.
    static func isInputError(_ error: any Error) -> Bool { error is TorchCheckpointError }

    /// The command's help.
    static func helpText(programName: String) -> String {
        """
        usage: \(programName) convert-checkpoint IN.ckpt OUT.safetensors

        Reads a checkpoint PyTorch Lightning (or torch.save) wrote, as torch.load(weights_only=True)
        would, running nothing from it, and writes its state_dict as safetensors: floats as F32,
        integers and booleans as I64. The metadata records epoch and global_step when the file has them.
        """
    }

    /// The command `arguments` (after the name) stand for, or nil when they ask for help.
    static func parse(_ arguments: [String]) throws -> ConvertCheckpointCommand? {
        if arguments.contains("-h") || arguments.contains("--help") { return nil }
        if let option = arguments.first(where: { $0.hasPrefix("-") }) {
            throw ConfigError.usage("\(name): unknown option '\(option)' (usage: \(name) IN.ckpt OUT.safetensors)")
        }
        guard arguments.count == 2 else {
            throw ConfigError.usage("\(name): expected two files, got \(arguments.count) (usage: \(name) IN.ckpt OUT.safetensors)")
        }
        return ConvertCheckpointCommand(input: arguments[0], output: arguments[1])
    }

    /// Reads `input`, writes `output` (rank 0 only, under a launcher); returns what it wrote.
    func execute() throws -> String {
        let checkpoint = try LightningCheckpoint.read(path: input)
        var metadata = ["format": "pt"]
        if let epoch = checkpoint.epoch { metadata["epoch"] = String(epoch) }
        if let step = checkpoint.globalStep { metadata["global_step"] = String(step) }
        if LaunchEnvironment.isRankZero {
            do {
                try Safetensors.write(checkpoint.stateDict, metadata: metadata, to: output)
            } catch {
                throw ConvertCheckpointError(description: "\(output): could not be written: \(error)")
            }
        }
        let elements = checkpoint.stateDict.values.reduce(0) { $0 + $1.count }
        return "wrote \(output): \(checkpoint.stateDict.count) tensors (\(elements) elements) from \(input)"
    }
}

/// The output of `convert-checkpoint` could not be written.
struct ConvertCheckpointError: Error, CustomStringConvertible {
    /// The file and the problem.
    let description: String
}
