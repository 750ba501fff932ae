import Foundation
import Lightning
import LightningDistributed
import LightningTestSupport
import Safetensors
import XCTest
@testable import LightningCLI

/// A CLI over the built-in models and data, as `swift-lightning` has them.
func builtInCLI(defaultConfig: String = "") -> LightningCLI {
    LightningCLI(models: ModelFactory.builtIn, data: DataFactory.builtIn, defaultConfig: defaultConfig, programName: "swift-lightning")
}

/// The configuration `arguments` give (`fit` unless the first argument is a subcommand).
func resolved(_ arguments: [String], cli: LightningCLI = builtInCLI()) throws -> ConfigValue {
    let invocation = try CommandLineParser.parse(arguments.first.flatMap(Subcommand.init(rawValue:)) == nil ? ["fit"] + arguments : arguments)
    return try cli.resolvedConfig(invocation.subcommand!, steps: invocation.steps)
}

/// The value at a dotted path (`trainer.callbacks`).
func value(_ config: ConfigValue, _ path: String) -> ConfigValue? {
    path.split(separator: ".").reduce(Optional(config)) { $0?.mapping?[String($1)] }
}

/// The Trainer the resolved configuration's `trainer:` section builds (the built-in loggers and strategies).
func builtTrainer(_ config: ConfigValue) throws -> Trainer {
    let section = try XCTUnwrap(value(config, "trainer")?.mapping)
    return try TrainerBuilder(callbackFactories: [], loggerFactories: LoggerFactory.builtIn, strategyFactories: StrategyFactory.builtIn)
        .build(section, extraCallbacks: [])
}

/// Asserts that `arguments` fail with a configuration error whose message contains every one of `parts`.
func assertConfigError(_ arguments: [String], contains parts: [String], cli: LightningCLI = builtInCLI(),
                       file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try resolved(arguments, cli: cli), file: file, line: line) { error in
        guard let error = error as? ConfigError else { return XCTFail("not a ConfigError: \(error)", file: file, line: line) }
        for part in parts {
            XCTAssertTrue(error.description.contains(part), "'\(error.description)' does not contain '\(part)'", file: file, line: line)
        }
    }
}

/// An executable built beside this test bundle (`swift build` and `swift test` build every target).
func builtExecutable(_ name: String) throws -> String {
    let own = try XCTUnwrap(realpath("/proc/self/exe", nil).map { path in defer { free(path) }; return String(cString: path) })
    let path = (own as NSString).deletingLastPathComponent + "/" + name
    guard access(path, X_OK) == 0 else {
        throw XCTSkip("\(path) is missing: run `swift build` (or `swift test`, which builds every target) first")
    }
    return path
}

/// Runs a built executable with `arguments` in `directory`, with no launcher variables.
func runExecutable(_ name: String, _ arguments: [String], in directory: String, timeout: TimeInterval = 120) throws -> ChildProcessResult {
    let unset = DistributedEnvironment.launcherVariables.flatMap { ["-u", $0] }
    return try ChildProcess.run("/usr/bin/env", unset + ["-C", directory, try builtExecutable(name)] + arguments, timeout: timeout)
}

/// The one checkpoint a fit into `root` saved (its version_0), read as a safetensors archive.
func onlyCheckpoint(under root: String) throws -> SafetensorsArchive {
    let folder = "\(root)/lightning_logs/version_0/checkpoints"
    let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".ckpt") }
    XCTAssertEqual(files.count, 1, "\(files)")
    return try SafetensorsArchive.read(path: "\(folder)/\(try XCTUnwrap(files.first))")
}

/// The model's and the optimizer's tensors of a checkpoint.
func trainedState(_ archive: SafetensorsArchive) -> [String: SafetensorsTensor] {
    archive.tensors.filter { $0.key.hasPrefix("net.") || $0.key.hasPrefix("optimizer.") }
}
