import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// PredictionWriter under `mpirun`: every rank writes its own rows into the one file while it
/// predicts, and the file equals byte for byte what one process writes for the same rows. Every
/// launch has mpirun's `--timeout` and a hard deadline (see `ProbeRun`).
final class StreamedPredictionUnderMPITests: XCTestCase {
    lazy var directory = makeTemporaryDirectory()
    /// 27 samples in batches of 4: 7 batches, the last of 3 rows; 2 ranks get 4 + 3 batches,
    /// 3 ranks 3 + 2 + 2 (contiguous, as numpy's array_split).
    static let samples = 27
    static let batchSize = 4
    static let formats = ["npy", "safetensors", "csv"]

    @discardableResult
    func probe(_ ranks: Int, _ arguments: [String], succeeds: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws -> ProbeRun {
        let run = try ProbeRun.mpirun(ranks: ranks, ["predict", "--val", String(Self.samples), "--batch", String(Self.batchSize)]
                                      + arguments + ["--root", directory.path], limit: 60, executable: "lightning-ddp-probe")
        if succeeds { XCTAssertEqual(run.status, 0, "mpirun -n \(ranks) \(arguments):\n\(run.output)", file: file, line: line) }
        return run
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// What the directory holds besides the files named: nothing may be left over.
    func leftovers(except kept: Set<String>) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !kept.contains($0) && $0 != "checkpoints" }
    }

    func testTwoAndThreeRanksWriteTheOneProcessFileByteForByte() throws {
        var kept: Set<String> = []
        for format in Self.formats {
            let reference = directory.file("one.\(format)")
            try probe(1, ["--out", reference, "--return", "false"])
            kept.insert("one.\(format)")
            for ranks in [2, 3] {
                // Kept predictions (the gather for the return value) must not change the file.
                for keep in format == "npy" ? ["false", "true"] : ["false"] {
                    let name = "ranks\(ranks)-\(keep).\(format)"
                    let run = try probe(ranks, ["--out", directory.file(name), "--return", keep])
                    kept.insert(name)
                    XCTAssertEqual(try bytes(directory.file(name)), try bytes(reference), "\(ranks) ranks, \(format), return \(keep)")
                    // Without kept predictions no rank returns any batch.
                    if keep == "false" { XCTAssertTrue(run.output.contains("rank 0 batches 0"), run.output) }
                }
            }
        }
        XCTAssertEqual(try NPY.read(path: directory.file("one.npy")).shape, [Self.samples, 4])
        XCTAssertEqual(try leftovers(except: kept), [], "no partial or part file stays")
    }

    /// `limit_predict_batches 0.5` takes half of every rank's own shard (Lightning's rule under
    /// DDP): the file holds exactly those batches' rows, in dataset order, as one process writes them.
    func testFractionLimitWritesTheCoveredRowsInDatasetOrder() throws {
        let referencePath = directory.file("all.npy")
        try probe(1, ["--out", referencePath])
        let all = try NPY.read(path: referencePath)
        let width = all.shape.dropFirst().reduce(1, *)
        let batches = (Self.samples + Self.batchSize - 1) / Self.batchSize
        for ranks in [2, 3] {
            var rows: [Int] = []
            var start = 0
            for rank in 0..<ranks {
                let shard = batches / ranks + (rank < batches % ranks ? 1 : 0)
                for batch in start..<(start + max(1, shard / 2)) {
                    rows += (batch * Self.batchSize)..<min(Self.samples, (batch + 1) * Self.batchSize)
                }
                start += shard
            }
            let expected = Tensor(shape: [rows.count, width], scalars: rows.flatMap { all.scalars[($0 * width)..<(($0 + 1) * width)] })
            let csv = "output_0,output_1,output_2,output_3\n"
                + rows.map { row in all.scalars[(row * width)..<((row + 1) * width)].map { "\($0)" }.joined(separator: ",") + "\n" }.joined()
            let expectedBytes = ["npy": Data(NPY.encode(expected)), "safetensors": Data(try Safetensors.encode(["predictions": expected])),
                                 "csv": Data(csv.utf8)]
            for format in Self.formats {
                let path = directory.file("half-\(ranks).\(format)")
                try probe(ranks, ["--out", path, "--return", "false", "--limit", "0.5"])
                XCTAssertEqual(try bytes(path), expectedBytes[format], "\(ranks) ranks, \(format)")
            }
        }
    }

    /// A rank failing after some batches were written ends the job, and no file is left that
    /// could be taken for the output: neither the file nor its partial or part files.
    func testFailureMidPredictLeavesNoFile() throws {
        for format in ["npy", "csv"] {
            for failing in [0, 1] {
                let name = "failed-\(failing).\(format)"
                let run = try probe(2, ["--out", directory.file(name), "--return", "false", "--failure", "predict-throw",
                                        "--rank", String(failing), "--step", "1"], succeeds: false)
                XCTAssertNotEqual(run.status, 0, run.output)
                XCTAssertTrue(run.output.contains("a deliberate error in predictStep"), run.output)
                XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file(name)), "\(name):\n\(run.output)")
                XCTAssertEqual(try leftovers(except: []), [], "\(name):\n\(run.output)")
            }
        }
    }
}
