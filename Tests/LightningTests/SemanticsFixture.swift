import Foundation
import Lightning

/// `lightning_semantics.json`: what PyTorch Lightning 2.6 did in fixed scenarios.
struct SemanticsFixture: Decodable {
    let fit_scenario: String
    let fit_hook_order: [String]
    let callback_metrics_keys: [String]
    let logged_metrics_keys: [String]
    let progress_bar_metrics_keys: [String]
    let checkpoint_files: [String]
    let best_model_path_name: String
    let log_dir_files: [String]
    let metrics_csv_header: [String]
    let metrics_csv_rows: [[String: String]]
    let hparams_yaml: String
    let checkpoint_keys: [String]
    let checkpoint_epoch_global_step: [Int]
    let checkpoint_state_dict_keys: [String]
    let checkpoint_loops_keys: [String]
    let checkpoint_callbacks_keys: [String]
    let validate_return: [[String]]
    let validate_hook_order: [String]
    let test_return: [[String]]
    let predict_return_shape: [[Int]]
    let predict_hook_order: [String]
    let early_stopping: EarlyStoppingScenario
    let accumulate_scenario: AccumulateScenario

    struct EarlyStoppingScenario: Decodable {
        let scenario: String
        let stopped_epoch: Int
        let current_epoch: Int
        let global_step: Int
    }

    struct AccumulateScenario: Decodable {
        let scenario: String
        let global_step: Int
        let validation_runs: Int
        let optimizer_steps_hooks: Int
        let metrics_csv_rows: [[String: String]]
    }

    static func load() throws -> SemanticsFixture {
        let url = try XCTUnwrapURL(Bundle.module.url(forResource: "Fixtures/lightning_semantics", withExtension: "json"))
        return try JSONDecoder().decode(SemanticsFixture.self, from: Data(contentsOf: url))
    }

    /// Every hook name the fixture records (calls with an index lose it), so a run's record is
    /// compared on the same vocabulary.
    var hookVocabulary: Set<String> {
        Set((fit_hook_order + validate_hook_order + predict_hook_order).map(Self.baseName))
    }

    static func baseName(_ call: String) -> String { call.split(separator: "(").first.map(String.init) ?? call }

    /// The integers after `label` in a scenario text, e.g. `train 28 samples batch 4`.
    static func number(after label: String, in text: String) -> Int? {
        guard let range = text.range(of: label) else { return nil }
        let digits = text[range.upperBound...].drop { !$0.isNumber }.prefix { $0.isNumber }
        return Int(digits)
    }
}

private func XCTUnwrapURL(_ url: URL?) throws -> URL {
    guard let url else { throw LightningError.misconfiguration("fixture lightning_semantics.json is missing from the test bundle") }
    return url
}

/// The sizes and arguments of the fit scenario, read from its description.
struct FitScenario {
    var trainCount: Int
    var trainBatch: Int
    var valCount: Int
    var valBatch: Int
    var maxEpochs: Int
    var logEveryNSteps: Int
    var sanitySteps: Int

    init(_ text: String) throws {
        func read(_ label: String) throws -> Int {
            guard let n = SemanticsFixture.number(after: label, in: text) else {
                throw LightningError.misconfiguration("scenario text lacks '\(label)': \(text)")
            }
            return n
        }
        trainCount = try read("train ")
        trainBatch = try read("samples batch ")
        valCount = try read("val ")
        let valPart = String(text[text.range(of: "val ")!.lowerBound...])
        valBatch = SemanticsFixture.number(after: "batch ", in: valPart) ?? 1
        maxEpochs = try read("max_epochs=")
        logEveryNSteps = try read("log_every_n_steps=")
        sanitySteps = try read("num_sanity_val_steps=")
    }

    init(trainCount: Int, trainBatch: Int, valCount: Int, valBatch: Int, maxEpochs: Int, logEveryNSteps: Int, sanitySteps: Int) {
        self.trainCount = trainCount
        self.trainBatch = trainBatch
        self.valCount = valCount
        self.valBatch = valBatch
        self.maxEpochs = maxEpochs
        self.logEveryNSteps = logEveryNSteps
        self.sanitySteps = sanitySteps
    }

    var trainBatches: Int { (trainCount + trainBatch - 1) / trainBatch }
    var valBatches: Int { (valCount + valBatch - 1) / valBatch }
}
