import Foundation

/// One ``PredictionWriter``'s file during one `predict`, written while batches arrive, so no
/// process holds more than the batch in hand.
///
/// Every rank writes its own rows. `.npy` and `.safetensors` are a header and fixed-size rows,
/// so rank 0 creates the file at full size with the header and each rank `pwrite`s its rows at
/// their offsets. CSV rows vary in length, so each rank writes its text to a part file of its own,
/// and once the sizes are known each rank copies its part to its offset in the file. Either way
/// the file is `path.partial` until every rank is done, then rank 0 renames it: a failed run
/// never leaves a file at `path`.
final class PredictionFileWriter {
    /// The file formats, chosen by the path's extension.
    enum Format {
        case npy, safetensors, csv

        init(path: String) throws {
            switch (path as NSString).pathExtension.lowercased() {
            case "npy": self = .npy
            case "safetensors": self = .safetensors
            case "csv": self = .csv
            default:
                throw LightningError.misconfiguration("PredictionWriter(\(path)): unknown extension; use .npy, .csv or .safetensors")
            }
        }
    }

    let path: String
    private let format: Format
    private let layout: PredictionLayout
    private let strategy: any Strategy
    /// The rows of all ranks, in the file.
    private let totalRows: Int
    /// The file's bytes before the first row (`.npy`, `.safetensors`) or its header line (CSV).
    private let header: [UInt8]
    /// Where this rank's next byte goes: in the file (row formats) or in its part file (CSV).
    private var offset: Int
    /// The file this rank writes: `path.partial` (row formats) or its part file (CSV).
    private var target: PositionedFile?

    /// The file under construction.
    static func partialPath(_ path: String) -> String { path + ".partial" }
    /// Rank `rank`'s CSV text, before it is copied into the file.
    static func partPath(_ path: String, rank: Int) -> String { path + ".partial.rank\(rank)" }

    /// Creates the file (rank 0) and opens this rank's target; every rank calls it at the same
    /// point, as it ends in a barrier. `rowCounts[r]`: the rows rank r writes.
    init(path: String, format: Format, layout: PredictionLayout, strategy: any Strategy, rowCounts: [Int]) throws {
        self.path = path
        self.format = format
        self.layout = layout
        self.strategy = strategy
        totalRows = rowCounts.reduce(0, +)
        let shape = [totalRows] + layout.trailing
        switch format {
        case .npy: header = NPY.header(dtype: layout.dtype, shape: shape)
        case .safetensors: header = try Safetensors.prefix(name: "predictions", dtype: layout.dtype, shape: shape)
        case .csv: header = Array(((0..<layout.width).map { "output_\($0)" }.joined(separator: ",") + "\n").utf8)
        }
        let rank = strategy.globalRank
        if format == .csv {
            offset = 0
            target = try PositionedFile.create(Self.partPath(path, rank: rank))
            // Once past here every part file exists, so a rank that fails later removes them all.
            try strategy.barrier("prediction part files created")
        } else {
            offset = header.count + rowCounts[..<rank].reduce(0, +) * layout.rowBytes
            if rank == 0 {
                let file = try PositionedFile.create(Self.partialPath(path))
                defer { file.close() }
                try file.write(header, at: 0)
                try file.truncate(to: header.count + totalRows * layout.rowBytes)
            }
            // Other ranks open the file only once rank 0 has created it.
            try strategy.barrier("prediction file created")
            target = try PositionedFile.openForWriting(Self.partialPath(path))
        }
    }

    /// Writes the next of this rank's batches (already checked against the layout).
    func append(_ output: Tensor) throws {
        guard let target else { return }
        switch format {
        case .npy, .safetensors:
            try output.withUnsafeBytes { try target.write($0, at: offset) }
            offset += output.count * layout.dtype.byteSize
        case .csv:
            let text = Array(csvRows(output).utf8)
            try target.write(text, at: offset)
            offset += text.count
        }
    }

    /// Completes the file: every rank calls it at the same point (it has collectives). Returns
    /// the shape of the array written.
    func finish() throws -> [Int] {
        guard let file = target else { return [totalRows] + layout.trailing }
        let rank = strategy.globalRank
        if format == .csv {
            file.close()
            target = nil
            let sizes = try strategy.allGather([offset]).map { $0.first ?? 0 }
            if rank == 0 {
                let whole = try PositionedFile.create(Self.partialPath(path))
                defer { whole.close() }
                try whole.write(header, at: 0)
                try whole.truncate(to: header.count + sizes.reduce(0, +))
            }
            try strategy.barrier("prediction file created")
            try copyPart(to: header.count + sizes[..<rank].reduce(0, +))
        } else {
            try file.sync()
            file.close()
            target = nil
        }
        // Rank 0 renames only once every rank's rows are on disk.
        try strategy.barrier("prediction rows written")
        if rank == 0 {
            guard rename(Self.partialPath(path), path) == 0 else {
                throw LightningError.misconfiguration("could not rename \(Self.partialPath(path)) to \(path): \(String(cString: strerror(errno)))")
            }
            syncDirectory(of: path)
        }
        // Every rank returns with the file in place.
        try strategy.barrier("prediction file renamed")
        return [totalRows] + layout.trailing
    }

    /// Removes what this run wrote (any rank may run it; the others are being ended): the
    /// unfinished file and every rank's part file.
    func abandon() {
        target?.close()
        target = nil
        Self.removeLeftovers(of: path, worldSize: strategy.worldSize)
    }

    /// Removes `path`'s unfinished file and part files, if there are any.
    static func removeLeftovers(of path: String, worldSize: Int) {
        unlink(partialPath(path))
        for rank in 0..<worldSize { unlink(partPath(path, rank: rank)) }
    }

    /// Copies this rank's part file into the file at `start`, a few MiB at a time, then removes it.
    private func copyPart(to start: Int) throws {
        let partPath = Self.partPath(path, rank: strategy.globalRank)
        let part = try PositionedFile.openForReading(partPath)
        defer { part.close() }
        let whole = try PositionedFile.openForWriting(Self.partialPath(path))
        defer { whole.close() }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 64)
        defer { chunk.deallocate() }
        var done = 0
        while done < offset {
            let n = try part.read(into: chunk, at: done)
            guard n > 0 else { throw LightningError.misconfiguration("\(partPath) ended after \(done) of \(offset) bytes") }
            try whole.write(UnsafeRawBufferPointer(rebasing: chunk[..<n]), at: start + done)
            done += n
        }
        try whole.sync()
        unlink(partPath)
    }

    /// The CSV lines of `output`'s rows (values as Swift prints them).
    private func csvRows(_ output: Tensor) -> String {
        let width = layout.width
        let rows = width == 0 ? 0 : output.count / width
        let values: [String] = output.dtype == .int64
            ? output.withUnsafeInt64BufferPointer { $0.map { "\($0)" } }
            : output.withUnsafeBufferPointer { $0.map { "\($0)" } }
        var text = ""
        for r in 0..<rows {
            text += values[(r * width)..<((r + 1) * width)].joined(separator: ",") + "\n"
        }
        return text
    }

    /// Makes the rename durable; best effort, since some file systems refuse fsync on directories.
    private func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = close(fd)
    }
}
