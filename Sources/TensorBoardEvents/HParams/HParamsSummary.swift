import SwiftProtobuf

/// The summaries by which TensorBoard's HParams plugin learns a run's hyperparameters and metrics.
///
/// Built as `torch.utils.tensorboard.summary.hparams` builds them (and so as Lightning's
/// `TensorBoardLogger.log_hyperparams` writes them): three tags with no value, each carrying an
/// `HParamsPluginData` in its metadata.
enum HParamsSummary {
    static let pluginName = "hparams"
    static let pluginDataVersion: Int32 = 0
    static let experimentTag = "_hparams_/experiment"
    static let sessionStartInfoTag = "_hparams_/session_start_info"
    static let sessionEndInfoTag = "_hparams_/session_end_info"

    /// The experiment (hyperparameter names and types, metric tags), session start (values) and
    /// session end (success), in the order PyTorch writes them.
    ///
    /// Names are sorted, and maps encoded in key order, so the same inputs give the same bytes.
    static func summaries(hparams: [String: HParamValue], metricTags: [String]) throws -> [Tensorboard_Summary] {
        let sortedHParams = hparams.sorted { $0.key < $1.key }

        var experiment = Tensorboard_Hparams_Experiment()
        experiment.hparamInfos = sortedHParams.map { name, value in
            var info = Tensorboard_Hparams_HParamInfo()
            info.name = name
            info.type = value.dataType
            return info
        }
        experiment.metricInfos = metricTags.sorted().map { tag in
            var info = Tensorboard_Hparams_MetricInfo()
            info.name.tag = tag
            return info
        }

        var sessionStart = Tensorboard_Hparams_SessionStartInfo()
        for (name, value) in sortedHParams { sessionStart.hparams[name] = value.protobufValue }

        var sessionEnd = Tensorboard_Hparams_SessionEndInfo()
        sessionEnd.status = .success

        return [
            try summary(tag: experimentTag, data: .experiment(experiment)),
            try summary(tag: sessionStartInfoTag, data: .sessionStartInfo(sessionStart)),
            try summary(tag: sessionEndInfoTag, data: .sessionEndInfo(sessionEnd)),
        ]
    }

    /// One value under `tag` whose metadata carries `data` for the hparams plugin.
    private static func summary(
        tag: String,
        data: Tensorboard_Hparams_HParamsPluginData.OneOf_Data
    ) throws -> Tensorboard_Summary {
        var pluginData = Tensorboard_Hparams_HParamsPluginData()
        pluginData.version = pluginDataVersion
        pluginData.data = data

        var value = Tensorboard_Summary.Value()
        value.tag = tag
        value.metadata.pluginData.pluginName = pluginName
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        value.metadata.pluginData.content = try pluginData.serializedBytes(options: options)

        var summary = Tensorboard_Summary()
        summary.value = [value]
        return summary
    }
}
