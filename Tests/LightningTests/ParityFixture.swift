import Foundation
import XCTest

/// `lightning_semantics_parity.json`: what Lightning 2.6.6 does in the scenarios of the parity
/// work. `sizes` gives each loader's sample count and batch size; expectations are derived from
/// them (and checked against the recorded values), so the same rules hold at other sizes.
struct ParityFixture: Decodable {
    let sizes: [String: [Int]]
    let max_steps_before_validation: MaxStepsBeforeValidation
    let max_steps_mid_epoch: MaxStepsMidEpoch
    let modelless_predict: ModellessPredict
    let modelless_validate: ModellessValidate
    /// Fit for one epoch with two validation loaders (`val0`, `val1`), then `validate`, `test`
    /// and `predict` with both: the validation hook calls as `name(batch_idx,dataloader_idx)`,
    /// the metric keys, the CSV header and each row's keys, and what each call returned.
    let multi_fit_validation_calls: [String]
    let multi_callback_metrics_keys: [String]
    let multi_logged_metrics_keys: [String]
    let multi_progress_bar_metrics_keys: [String]
    let multi_metrics_csv_header: [String]
    let multi_metrics_csv_row_keys: [[String]]
    let multi_validate_return_keys: [[String]]
    let multi_test_return_keys: [[String]]
    let multi_predict_return_shapes: [[[Int]]]
    let multi_predict_calls: [String]
    /// Lightning's `all_gather` output shape in one process, by input (`scalar`: a Python number).
    let all_gather_one_process_shapes: [String: [Int]]

    /// `trainer.predict(dataloaders:)` without a model after `fit`: the best checkpoint, the one
    /// restored and the number of output batches.
    struct ModellessPredict: Decodable {
        let best: String
        let restored: String
        let batches: Int
    }

    /// `trainer.validate(dataloaders:)` without a model after `fit`: the checkpoint restored and
    /// the returned metrics' keys.
    struct ModellessValidate: Decodable {
        let restored: String
        let keys: [String]
    }

    struct MaxStepsBeforeValidation: Decodable {
        let max_steps: Int
        let finished: Bool
        let global_step: Int
        let current_epoch: Int
        let checkpoints: [String]
        let callback_metrics_keys: [String]
    }

    struct MaxStepsMidEpoch: Decodable {
        let max_steps: Int
        let global_step: Int
        let current_epoch: Int
        let validation_runs: Int
        let checkpoints: [String]
    }

    /// A loader's `(samples, batch size)`.
    func size(_ loader: String) throws -> (samples: Int, batch: Int) {
        let pair = try XCTUnwrap(sizes[loader], "no size for \(loader)")
        return (pair[0], pair[1])
    }

    static func load() throws -> ParityFixture {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/lightning_semantics_parity", withExtension: "json"))
        return try JSONDecoder().decode(ParityFixture.self, from: Data(contentsOf: url))
    }
}
