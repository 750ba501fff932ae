import Foundation

extension ConfigSection {
    /// The path `option` holds, checked to name an existing file: the check the built-in data
    /// modules make before anything runs, for your own options too. Throws a configuration error
    /// naming the key (`data.init_args.path: expected an existing file, got 'x.csv'`; exit status 2).
    ///
    /// ```swift
    /// static let path = ConfigOption<String?>("path", default: nil, help: "the recording to load")
    /// let file = try section.existingFile(path)
    /// ```
    public func existingFile(_ option: ConfigOption<String?>) throws -> String {
        guard let path = self[option], FileManager.default.fileExists(atPath: path, isDirectory: nil), !isDirectory(path) else {
            throw invalid(option, expected: "an existing file")
        }
        return path
    }

    /// The path `option` holds, checked to name an existing directory (a shard directory, say).
    public func existingDirectory(_ option: ConfigOption<String?>) throws -> String {
        guard let path = self[option], isDirectory(path) else {
            throw invalid(option, expected: "an existing directory")
        }
        return path
    }

    private func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}
