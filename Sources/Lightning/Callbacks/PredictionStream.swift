import Foundation

/// The run's ``PredictionWriter`` files while `predict` runs: the loop hands each batch's output
/// here and keeps nothing. The first output fixes the layout (agreed with the other ranks, which
/// is a collective), then the files are created and every output goes to each of them.
final class PredictionStream {
    private let writers: [(writer: PredictionWriter, format: PredictionFileWriter.Format)]
    private let strategy: any Strategy
    private let rowCounts: [Int]
    private var layout: PredictionLayout?
    private var files: [PredictionFileWriter] = []

    /// A stream to `writers`; `rowCounts[r]` is the rows rank r predicts (from its planned
    /// batches). Throws for an unknown extension, on every rank alike.
    init(writers: [PredictionWriter], strategy: any Strategy, rowCounts: [Int]) throws {
        self.writers = try writers.map { ($0, try PredictionFileWriter.Format(path: $0.path)) }
        self.strategy = strategy
        self.rowCounts = rowCounts
        for (writer, _) in self.writers {
            let directory = (writer.path as NSString).deletingLastPathComponent
            // Every rank writes into the directory, and any may be first to need it.
            if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            // A part file left by an earlier failed run must not be taken for this run's.
            if strategy.isGlobalZero { PredictionFileWriter.removeLeftovers(of: writer.path, worldSize: strategy.worldSize) }
        }
    }

    /// Writes one batch's output (`rows` samples) to every file.
    func append(_ output: Tensor, rows: Int) throws {
        if layout == nil { try open(first: output) }
        guard let layout else { return }
        try layout.check(output, rows: rows, rank: strategy.globalRank)
        for file in files { try file.append(output) }
    }

    /// Completes every file; every rank calls it once its batches are done.
    func finish() throws {
        if layout == nil { try open(first: nil) }
        for (file, entry) in zip(files, writers) { entry.writer.writtenShape = try file.finish() }
    }

    /// Removes the unfinished files after a failure on this rank.
    func abandon() {
        for file in files { file.abandon() }
        for (writer, _) in writers { PredictionFileWriter.removeLeftovers(of: writer.path, worldSize: strategy.worldSize) }
    }

    private func open(first output: Tensor?) throws {
        guard let path = writers.first?.writer.path else { return }
        let agreed = try PredictionLayout.agree(first: output, strategy: strategy, writerPath: path)
        layout = agreed
        files = try writers.map {
            try PredictionFileWriter(path: $0.writer.path, format: $0.format, layout: agreed, strategy: strategy, rowCounts: rowCounts)
        }
    }
}
