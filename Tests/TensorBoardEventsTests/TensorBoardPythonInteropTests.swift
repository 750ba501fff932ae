import Foundation
import LightningTestSupport
import XCTest
@testable import TensorBoardEvents

/// Event files read by TensorBoard's own Python reader, when `tensorboard` is installed.
///
/// The project never needs Python; these tests skip (printing why) unless `python3` can import
/// `tensorboard`.
final class TensorBoardPythonInteropTests: XCTestCase {
    /// Checks every record's CRCs with TensorBoard's `masked_crc32c`, loads the directory with
    /// `EventAccumulator`, and prints scalars and parsed hparams plugin data as JSON.
    private static let readerScript = """
        import json, struct, sys
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
        from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import masked_crc32c
        from tensorboard.plugins.hparams import metadata
        from google.protobuf import json_format

        logdir, path = sys.argv[1], sys.argv[2]
        data, offset, records = open(path, "rb").read(), 0, 0
        while offset < len(data):
            (length,) = struct.unpack_from("<Q", data, offset)
            (length_crc,) = struct.unpack_from("<I", data, offset + 8)
            assert length_crc == masked_crc32c(data[offset:offset + 8]), "length CRC"
            body = data[offset + 12:offset + 12 + length]
            (body_crc,) = struct.unpack_from("<I", data, offset + 12 + length)
            assert body_crc == masked_crc32c(body), "data CRC"
            offset, records = offset + 16 + length, records + 1

        accumulator = EventAccumulator(logdir, size_guidance={"scalars": 0})
        accumulator.Reload()
        parsers = {
            metadata.EXPERIMENT_TAG: metadata.parse_experiment_plugin_data,
            metadata.SESSION_START_INFO_TAG: metadata.parse_session_start_info_plugin_data,
            metadata.SESSION_END_INFO_TAG: metadata.parse_session_end_info_plugin_data,
        }
        content = accumulator.PluginTagToContent(metadata.PLUGIN_NAME)
        print(json.dumps({
            "records": records,
            "file_version": accumulator.file_version,
            "scalars": {
                tag: [[event.step, event.value, event.wall_time] for event in accumulator.Scalars(tag)]
                for tag in accumulator.Tags()["scalars"]
            },
            "hparams": {
                tag: json_format.MessageToDict(parsers[tag](blob), preserving_proto_field_name=True)
                for tag, blob in content.items()
            },
        }))
        """

    /// Asks the HParams plugin's backend (what serves TensorBoard's HParams tab) for the session
    /// groups in argv[1], printing them as JSON; exits 3 if this TensorBoard's internal API differs.
    private static let hparamsPluginScript = """
        import json, sys
        from google.protobuf import json_format
        try:
            from tensorboard import context
            from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
            from tensorboard.plugins import base_plugin
            from tensorboard.plugins.hparams import api_pb2, backend_context, list_session_groups
            multiplexer = plugin_event_multiplexer.EventMultiplexer()
            multiplexer.AddRunsFromDirectory(sys.argv[1])
            multiplexer.Reload()
            provider = data_provider.MultiplexerDataProvider(multiplexer, sys.argv[1])
            tb_context = base_plugin.TBContext(data_provider=provider, multiplexer=multiplexer, logdir=sys.argv[1])
            request = api_pb2.ListSessionGroupsRequest(start_index=0, slice_size=10, allowed_statuses=[0, 1, 2, 3])
            handler = list_session_groups.Handler(
                context.RequestContext(), backend_context.Context(tb_context), "", request)
        except (ImportError, AttributeError, TypeError) as error:
            print("internal hparams plugin API differs:", error, file=sys.stderr)
            sys.exit(3)
        print(json_format.MessageToJson(handler.run(), preserving_proto_field_name=True))
        """

    /// Runs `python3 -c script args…` (the shared test runner), returning stdout, or nil with
    /// stderr when it fails.
    private func python(_ script: String, _ arguments: [String] = []) -> (output: String?, error: String) {
        do {
            let run = try runPython(script, arguments)
            return run.succeeded ? (run.stdout, run.stderr) : (nil, "exit \(run.status): " + run.stderr)
        } catch {
            return (nil, "cannot run python3: \(error)")
        }
    }

    /// Skips the test unless `python3` can import `tensorboard`.
    private func requireTensorBoard() throws {
        try skipUnlessPython(modules: ["tensorboard"])
    }

    /// A log directory holding one run with hparams, a metric and two scalar series.
    private func writeSampleRun() throws -> EventFileWriter {
        let writer = try EventFileWriter(logDirectory: try temporaryLogDirectory())
        try writer.addHParams(["lr": 0.001, "optimizer": "sgd", "nesterov": false], metrics: ["hp_metric": 0.75])
        for step in 0..<5 {
            try writer.addScalar(tag: "train/loss", value: 1 / Double(step + 1), step: step, wallTime: 100 + Double(step))
        }
        try writer.addScalar(tag: "val/acc", value: 0.9, step: 4, wallTime: 200)
        try writer.close()
        return writer
    }

    func testTensorBoardReadsScalarsAndHParams() throws {
        try requireTensorBoard()
        let writer = try writeSampleRun()
        let directory = URL(fileURLWithPath: writer.path).deletingLastPathComponent().path
        let result = python(Self.readerScript, [directory, writer.path])
        let output = try XCTUnwrap(result.output, result.error)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        XCTAssertEqual(json["records"] as? Int, 1 + 1 + 3 + 6)
        XCTAssertEqual(json["file_version"] as? Double, 2)

        let scalars = try XCTUnwrap(json["scalars"] as? [String: [[Double]]])
        XCTAssertEqual(Set(scalars.keys), ["hp_metric", "train/loss", "val/acc"])
        XCTAssertEqual(scalars["train/loss"]?.map { $0[0] }, [0, 1, 2, 3, 4])
        XCTAssertEqual(scalars["train/loss"]?.map { Float($0[1]) }, (0..<5).map { Float(1 / Double($0 + 1)) })
        XCTAssertEqual(scalars["train/loss"]?.map { $0[2] }, [100, 101, 102, 103, 104])
        XCTAssertEqual(scalars["val/acc"]?.first.map { [$0[0], $0[2]] }, [4, 200])
        XCTAssertEqual(scalars["hp_metric"]?.first?[1], 0.75)

        let hparams = try XCTUnwrap(json["hparams"] as? [String: [String: Any]])
        let experiment = try XCTUnwrap(hparams["_hparams_/experiment"])
        let infos = try XCTUnwrap(experiment["hparam_infos"] as? [[String: String]])
        XCTAssertEqual(infos, [
            ["name": "lr", "type": "DATA_TYPE_FLOAT64"],
            ["name": "nesterov", "type": "DATA_TYPE_BOOL"],
            ["name": "optimizer", "type": "DATA_TYPE_STRING"],
        ])
        let metrics = try XCTUnwrap(experiment["metric_infos"] as? [[String: [String: String]]])
        XCTAssertEqual(metrics, [["name": ["tag": "hp_metric"]]])

        let start = try XCTUnwrap(hparams["_hparams_/session_start_info"]?["hparams"] as? [String: Any])
        XCTAssertEqual(start["lr"] as? Double, 0.001)
        XCTAssertEqual(start["optimizer"] as? String, "sgd")
        XCTAssertEqual(start["nesterov"] as? Bool, false)
        XCTAssertEqual(hparams["_hparams_/session_end_info"]?["status"] as? String, "STATUS_SUCCESS")
    }

    func testHParamsPluginListsTheSession() throws {
        try requireTensorBoard()
        let writer = try writeSampleRun()
        let directory = URL(fileURLWithPath: writer.path).deletingLastPathComponent().path
        let result = python(Self.hparamsPluginScript, [directory])
        if result.output == nil && result.error.hasPrefix("exit 3:") {
            print(result.error)
            throw XCTSkip(result.error)
        }
        let output = try XCTUnwrap(result.output, result.error)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let groups = try XCTUnwrap(json["session_groups"] as? [[String: Any]])
        XCTAssertEqual(groups.count, 1)
        let hparams = try XCTUnwrap(groups.first?["hparams"] as? [String: Any])
        XCTAssertEqual(hparams["lr"] as? Double, 0.001)
        XCTAssertEqual(hparams["optimizer"] as? String, "sgd")
        XCTAssertEqual(hparams["nesterov"] as? Bool, false)
        let sessions = try XCTUnwrap(groups.first?["sessions"] as? [[String: Any]])
        XCTAssertEqual(sessions.first?["status"] as? String, "STATUS_SUCCESS")
        let metrics = try XCTUnwrap(sessions.first?["metric_values"] as? [[String: Any]])
        XCTAssertEqual(metrics.first?["value"] as? Double, 0.75)
        XCTAssertEqual((metrics.first?["name"] as? [String: String])?["tag"], "hp_metric")
    }

    /// Reads argv[1] with `EventAccumulator` and prints every histogram tag's events as JSON
    /// (min and max in hexadecimal, exact where a decimal could be read back a bit off).
    private static let histogramScript = """
        import json, sys
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
        accumulator = EventAccumulator(sys.argv[1], size_guidance={"histograms": 0})
        accumulator.Reload()
        print(json.dumps({
            tag: [{"step": event.step, "min": event.histogram_value.min.hex(), "max": event.histogram_value.max.hex(),
                   "num": event.histogram_value.num, "sum": event.histogram_value.sum,
                   "bucket_limit": list(event.histogram_value.bucket_limit), "bucket": list(event.histogram_value.bucket)}
                  for event in accumulator.Histograms(tag)]
            for tag in accumulator.Tags()["histograms"]
        }))
        """

    func testTensorBoardReadsHistograms() throws {
        try requireTensorBoard()
        let weights: [[Float]] = [(0..<40).map { Float($0) * 0.05 - 1 }, (0..<40).map { Float($0 % 7) * 0.3 }]
        let writer = try EventFileWriter(logDirectory: try temporaryLogDirectory())
        for (step, values) in weights.enumerated() {
            try writer.addHistogram(tag: "weights/layer.0.weight", values: values, step: step * 10)
            try writer.addHistogram(tag: "gradients/layer.0.weight", values: values.map { -$0 }, step: step * 10)
        }
        try writer.close()
        let directory = URL(fileURLWithPath: writer.path).deletingLastPathComponent().path
        let result = python(Self.histogramScript, [directory])
        let output = try XCTUnwrap(result.output, result.error)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: [[String: Any]]])
        XCTAssertEqual(Set(json.keys), ["weights/layer.0.weight", "gradients/layer.0.weight"])
        for (tag, sign) in [("weights/layer.0.weight", Float(1)), ("gradients/layer.0.weight", -1)] {
            let events = try XCTUnwrap(json[tag])
            XCTAssertEqual(events.count, weights.count, tag)
            for (event, values) in zip(events, weights.map { $0.map { $0 * sign } }) {
                XCTAssertEqual((event["min"] as? String).flatMap(Double.init), Double(values.min()!), tag)
                XCTAssertEqual((event["max"] as? String).flatMap(Double.init), Double(values.max()!), tag)
                XCTAssertEqual(event["num"] as? Double, Double(values.count), tag)
                XCTAssertEqual((event["bucket"] as? [Double])?.reduce(0, +), Double(values.count), tag)
            }
            XCTAssertEqual(events.map { $0["step"] as? Int }, weights.indices.map { $0 * 10 })
        }
    }
}
