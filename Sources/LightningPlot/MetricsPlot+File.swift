import Foundation

extension MetricsPlot {
    /// Writes `svg` to `path` through a temporary file beside it and a rename, so a reader
    /// (a browser refreshing it mid-training) never sees half a file.
    public static func write(_ svg: String, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        do {
            try Data(svg.utf8).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw PlotError("\(path): could not write: \(error.localizedDescription)")
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw PlotError("\(path): could not write: \(reason)")
        }
    }
}
