import Foundation
import Lightning
import LightningTestSupport
import XCTest

// Every MPI launch here goes through `ProbeRun.mpirun`, which passes mpirun's `--timeout` (its
// `limit:`) and kills the job's process group at a deadline: a hung rank cannot hold the test run.

/// Several evaluation loaders and structured predictions under `mpirun` (the probe's
/// `multi-loaders` mode): every result equals one process's.
final class MultipleLoadersUnderMPITests: XCTestCase {
    /// Under `mpirun -n 2` and `-n 3` every loader's dictionary and tuple outputs reach rank 0 in
    /// dataset order, equal to one process's bit for bit, and every loader's metrics equal one
    /// process's: the shards are unpadded (a rank's shard of a loader may be empty) and the
    /// reduction exact.
    func testUnderMPIEveryLoaderEqualsOneProcess() throws {
        let directory = makeTemporaryDirectory()
        var results: [Int: [String: JSONValue]] = [:]
        for ranks in [1, 2, 3] {
            let out = directory.file("multi-\(ranks).json")
            let run = try ProbeRun.mpirun(ranks: ranks, ["multi-loaders", "--out", out, "--root", directory.file("root-\(ranks)")],
                                          limit: 60, executable: "lightning-ddp-probe")
            XCTAssertEqual(run.status, 0, run.output)
            results[ranks] = try JSONValue(parsing: String(contentsOfFile: out, encoding: .utf8)).decode()
        }
        let one = try XCTUnwrap(results[1])
        // The probe's loaders: 10 samples in batches of 4 and 6 in batches of 3.
        let batches = [(10 + 3) / 4, (6 + 2) / 3]
        for structure in ["dictionary", "tuple"] {
            guard case .array(let loaders)? = one["predict"]?[structure] else { return XCTFail("no \(structure) predictions") }
            XCTAssertEqual(loaders.map { if case .array(let items) = $0 { return items.count } else { return -1 } }, batches, structure)
        }
        // The CSV has every key the runs logged: each evaluation metric once per loader.
        let perLoader = ["test_loss", "val_acc", "val_loss"].flatMap { key in batches.indices.map { "\(key)/dataloader_idx_\($0)" } }
        XCTAssertEqual(one["csv_header"], .string((["epoch", "step"] + (perLoader + ["train_loss_epoch", "train_loss_step"]).sorted()).joined(separator: ",")))
        XCTAssertEqual(one["validate"].flatMap(keys), [["val_acc/dataloader_idx_0", "val_loss/dataloader_idx_0"],
                                                       ["val_acc/dataloader_idx_1", "val_loss/dataloader_idx_1"]])
        for ranks in [2, 3] {
            let many = try XCTUnwrap(results[ranks])
            XCTAssertEqual(many["predict"], one["predict"], "\(ranks) ranks: predictions")
            XCTAssertEqual(many["fit_callback_keys"], one["fit_callback_keys"], "\(ranks) ranks")
            XCTAssertEqual(many["csv_header"], one["csv_header"], "\(ranks) ranks")
            for stage in ["fit_callback", "validate", "test"] {
                // A step value is the rank's own (Lightning syncs it only when asked); the rest is reduced.
                let expected = try numbers(one[stage]).filter { !$0.key.hasSuffix("_step") }
                let actual = try numbers(many[stage]).filter { !$0.key.hasSuffix("_step") }
                XCTAssertEqual(actual.map(\.key), expected.map(\.key), "\(ranks) ranks: \(stage)")
                for (a, e) in zip(actual, expected) { assertClose(a.value, e.value, rtol: 1e-6, atol: 1e-9, "\(ranks) ranks: \(stage) \(a.key)") }
            }
        }
    }

    /// The keys of each dictionary of a JSON array.
    private func keys(_ value: JSONValue) -> [[String]]? {
        guard case .array(let items) = value else { return nil }
        return items.map { item in if case .object(let object) = item { return object.keys.sorted() } else { return [] } }
    }

    /// Every number in `value` with its path, in a fixed order.
    private func numbers(_ value: JSONValue?, path: String = "") throws -> [(key: String, value: Double)] {
        switch try XCTUnwrap(value, "missing \(path)") {
        case .number(let number): return [(path, number)]
        case .array(let items): return try items.enumerated().flatMap { try numbers($0.element, path: "\(path)[\($0.offset)]") }
        case .object(let object): return try object.keys.sorted().flatMap { try numbers(object[$0], path: "\(path).\($0)") }
        default: return []
        }
    }
}
