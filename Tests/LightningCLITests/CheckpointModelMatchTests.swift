import Foundation
import LightningTestSupport
import XCTest
@testable import LightningCLI

/// `--ckpt_path best|last` takes the newest run of the same model: a newer run of another model
/// in the same log directory is passed over, and with none of this model left the error lists
/// the runs it found.
final class CheckpointModelMatchTests: XCTestCase {
    func fit(_ model: [String], in directory: TemporaryDirectory) {
        let status = builtInCLI().run(["fit", "--trainer.default_root_dir", directory.path, "--trainer.max_epochs", "1",
                                       "--trainer.enable_progress_bar", "false", "--trainer.enable_model_summary", "false"] + model)
        XCTAssertEqual(status, 0)
    }

    func testANewerRunOfAnotherModelIsPassedOver() throws {
        let directory = makeTemporaryDirectory()
        fit(["--model", "mlp", "--model.hidden_sizes", "[16]"], in: directory)
        fit(["--model", "cnn", "--data.flat", "false"], in: directory)
        // The newest run is the CNN's; a validate of the MLP must load the MLP's checkpoint.
        for which in ["best", "last"] {
            let status = builtInCLI().run(["validate", "--trainer.default_root_dir", directory.path, "--trainer.logger", "false",
                                           "--model", "mlp", "--model.hidden_sizes", "[16]", "--ckpt_path", which])
            XCTAssertEqual(status, 0, "validate --ckpt_path \(which) of the older MLP run")
        }
        let cnn = builtInCLI().run(["validate", "--trainer.default_root_dir", directory.path, "--trainer.logger", "false",
                                    "--model", "cnn", "--data.flat", "false", "--ckpt_path", "best"])
        XCTAssertEqual(cnn, 0, "the CNN finds its own, newest run")
    }

    func testNoRunOfThisModelIsAnErrorListingTheCandidates() throws {
        let directory = makeTemporaryDirectory()
        fit(["--model", "mlp", "--model.hidden_sizes", "[16]"], in: directory)
        let cli = builtInCLI()
        let invocation = try CommandLineParser.parse(["validate", "--trainer.default_root_dir", directory.path, "--trainer.logger", "false",
                                                      "--model", "mlp", "--model.hidden_sizes", "[8]", "--ckpt_path", "best"])
        let config = try cli.resolvedConfig(.validate, steps: invocation.steps)
        XCTAssertThrowsError(try CLIRun(cli: cli, subcommand: .validate, config: config, reportStartup: false).execute()) { error in
            let text = "\(error)"
            XCTAssertTrue(error is ConfigError, text)
            XCTAssertTrue(text.contains("ckpt_path"), text)
            XCTAssertTrue(text.contains("version_0"), "names the run it found: \(text)")
            XCTAssertTrue(text.contains("mlp"), text)
        }
    }
}
