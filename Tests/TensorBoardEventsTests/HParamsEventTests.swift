import SwiftProtobuf
import XCTest
@testable import TensorBoardEvents

/// The hparams plugin summaries, decoded in Swift with the generated types.
final class HParamsEventTests: XCTestCase {
    func testHParamsWriteMetricsThenExperimentSessionStartAndEnd() throws {
        let writer = try EventFileWriter(logDirectory: try temporaryLogDirectory())
        try writer.addHParams(
            ["lr": 0.01, "layers": 3, "optimizer": "adam", "amsgrad": true],
            metrics: ["hp_metric": -1, "val/acc": 0.5]
        )
        try writer.close()

        let events = Array(try EventFileReading.events(atPath: writer.path).dropFirst())
        XCTAssertEqual(events.map { $0.summary.value[0].tag }, [
            "hp_metric", "val/acc",
            "_hparams_/experiment", "_hparams_/session_start_info", "_hparams_/session_end_info",
        ])
        XCTAssertEqual(events.map(\.step), [0, 0, 0, 0, 0])
        XCTAssertEqual(events[1].summary.value[0].simpleValue, 0.5)

        let plugin = try events[2...].map { event -> Tensorboard_Hparams_HParamsPluginData in
            let value = event.summary.value[0]
            XCTAssertNil(value.value, "hparams tags carry metadata only")
            XCTAssertEqual(value.metadata.pluginData.pluginName, "hparams")
            return try Tensorboard_Hparams_HParamsPluginData(serializedBytes: value.metadata.pluginData.content)
        }
        XCTAssertEqual(plugin.map(\.version), [0, 0, 0])

        let experiment = plugin[0].experiment
        XCTAssertEqual(experiment.hparamInfos.map(\.name), ["amsgrad", "layers", "lr", "optimizer"])
        XCTAssertEqual(experiment.hparamInfos.map(\.type), [.bool, .float64, .float64, .string])
        XCTAssertEqual(experiment.metricInfos.map(\.name.tag), ["hp_metric", "val/acc"])

        let values = plugin[1].sessionStartInfo.hparams
        XCTAssertEqual(values["lr"], Google_Protobuf_Value(numberValue: 0.01))
        XCTAssertEqual(values["layers"], Google_Protobuf_Value(numberValue: 3))
        XCTAssertEqual(values["optimizer"], Google_Protobuf_Value(stringValue: "adam"))
        XCTAssertEqual(values["amsgrad"], Google_Protobuf_Value(boolValue: true))

        XCTAssertEqual(plugin[2].sessionEndInfo.status, .success)
    }

    func testHParamsWithoutMetricsWriteNoScalars() throws {
        let writer = try EventFileWriter(logDirectory: try temporaryLogDirectory())
        try writer.addHParams(["batch_size": .number(32)], step: 5)
        try writer.close()
        let events = Array(try EventFileReading.events(atPath: writer.path).dropFirst())
        XCTAssertEqual(events.map { $0.summary.value[0].tag }, [
            "_hparams_/experiment", "_hparams_/session_start_info", "_hparams_/session_end_info",
        ])
        XCTAssertEqual(events.map(\.step), [5, 5, 5])
        let content = events[0].summary.value[0].metadata.pluginData.content
        XCTAssertEqual(try Tensorboard_Hparams_HParamsPluginData(serializedBytes: content).experiment.metricInfos, [])
    }

    func testSessionStartHParamsAreEncodedInKeyOrder() throws {
        // Swift seeds hashing per process, so without sorted encoding the bytes would vary by run.
        let hparams = Dictionary(uniqueKeysWithValues: (0..<20).map { ("h\($0)", HParamValue.number(Double($0))) })
        let content = try HParamsSummary.summaries(hparams: hparams, metricTags: [])[1].value[0].metadata.pluginData.content
        var sorted = BinaryEncodingOptions()
        sorted.useDeterministicOrdering = true
        let decoded = try Tensorboard_Hparams_HParamsPluginData(serializedBytes: content)
        XCTAssertEqual(decoded.sessionStartInfo.hparams.count, 20)
        XCTAssertEqual([UInt8](content), try decoded.serializedBytes(options: sorted) as [UInt8])
    }
}
