import Foundation

/// The checked values of one section (`model.init_args`, `data.init_args`, a callback's
/// `init_args`) with defaults filled in, read by the options that declared them.
public struct ConfigSection: Sendable {
    /// Where the section is in the configuration (`model.init_args`), for error messages.
    public let path: String
    /// The values by key.
    public let values: ConfigMapping
    /// What the data module of this run says about its samples (for model sections; `nil` when
    /// the data does not describe itself).
    public let dataInfo: DataInfo?
    /// `trainer.default_root_dir` (the working directory when unset), where loggers write by default.
    public let defaultRootDir: String

    /// A section of checked `values` at `path`.
    public init(path: String, values: ConfigMapping, dataInfo: DataInfo? = nil,
                defaultRootDir: String = FileManager.default.currentDirectoryPath) {
        self.path = path
        self.values = values
        self.dataInfo = dataInfo
        self.defaultRootDir = defaultRootDir
    }

    /// The option's value (its default when the section does not hold it).
    public subscript<Value>(_ option: ConfigOption<Value>) -> Value {
        guard let value = values[option.key], let typed = try? option.read(value, at: keyPath(option.key)) else { return option.defaultValue }
        return typed
    }

    /// `path.key`.
    public func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// An error for a value that is fine on its own but not with the rest (`expected` says what would do).
    public func invalid<Value>(_ option: ConfigOption<Value>, expected: String) -> ConfigError {
        .invalidValue(key: keyPath(option.key), expected: expected, got: values[option.key]?.shortDescription ?? option.defaultConfigValue.shortDescription)
    }
}
