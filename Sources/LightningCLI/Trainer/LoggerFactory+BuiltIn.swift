import Lightning

/// The loggers `trainer.logger` can name.
extension LoggerFactory {
    /// `csv` (the default) and `tensorboard`.
    public static let builtIn: [LoggerFactory] = [csv, tensorboard]

    static let saveDir = ConfigOption<String?>("save_dir", default: nil, help: "the root directory (null: trainer.default_root_dir)")
    static let name = ConfigOption<String>("name", default: "lightning_logs", help: "the experiment's directory under save_dir")
    static let version = ConfigOption<Int?>("version", default: nil, help: "the version_N directory (null: the next free one)",
                                            valid: { $0 == nil || $0! >= 0 }, expected: "an integer >= 0 or null")
    static let histogramsEvery = ConfigOption<Int?>("log_histograms_every_n_steps", default: nil,
                                                    help: "histograms of weights and gradients every n optimizer steps (null: none)",
                                                    valid: { $0 == nil || $0! >= 1 }, expected: "an integer >= 1 or null")
    static let flushEvery = ConfigOption<Int>("flush_logs_every_n_steps", default: 100, help: "rewrite metrics.csv every n logging calls", minimum: 1)

    /// ``CSVLogger``.
    public static let csv = LoggerFactory("csv", aliases: ["CSVLogger"], summary: "metrics.csv and hparams.yaml in Lightning's layout",
                                          options: [saveDir, name, version, flushEvery]) { s in
        CSVLogger(saveDir: s[saveDir] ?? s.defaultRootDir, name: s[name], version: s[version], flushLogsEveryNSteps: s[flushEvery])
    }

    /// ``TensorBoardLogger``.
    public static let tensorboard = LoggerFactory("tensorboard", aliases: ["TensorBoardLogger"], summary: "TensorBoard event files",
                                                  options: [saveDir, name, version, histogramsEvery]) { s in
        TensorBoardLogger(saveDir: s[saveDir] ?? s.defaultRootDir, name: s[name], version: s[version],
                          logHistogramsEveryNSteps: s[histogramsEvery])
    }
}
