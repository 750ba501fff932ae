import Foundation
import LightningTestSupport
import Safetensors
import XCTest

/// Round trips of the codec through Python's reference `safetensors` package, when it is installed.
///
/// The project never needs Python; these tests skip (printing why) unless `python3` can import
/// `safetensors` and `torch` (or, for the NumPy variant, `safetensors` and `numpy`).
final class SafetensorsPythonInteropTests: XCTestCase {
    private lazy var directory = makeTemporaryDirectory(prefix: "safetensors-tests")

    /// Runs `python3 -c script arguments…`; stdout, or a failure naming Python's error.
    private func python(_ script: String, _ arguments: [String] = []) throws -> String {
        let result = try runPython(script, arguments)
        XCTAssertTrue(result.succeeded, result.stderr)
        return result.stdout
    }

    private static func swiftSideTensors() throws -> [String: SafetensorsTensor] {
        [
            "net.0.weight": try .f32([2, 3], [0.1, -0.2, 0.3, 1e-30, -1e30, .infinity]),
            "net.0.bias": try .f32([2], [0.5, -0.5]),
            "bn.running_mean": try .f32([], [3.25]),
            "bn.num_batches_tracked": try .i64([], [123_456_789_012]),
            "labels": try .i64([4], [Int64.min, -1, 0, Int64.max]),
            "empty": try .f32([0, 3], []),
        ]
    }

    /// Python that loads argv[1] with `loader` and prints `{name: [dtype, shape, values]}` as JSON.
    private static func dumpScript(_ loader: String) -> String {
        """
        import json, sys
        \(loader)
        from safetensors import safe_open
        with safe_open(sys.argv[1], framework="numpy") as f:
            meta = f.metadata()
        out = {}
        for name, t in tensors.items():
            a = t.tolist() if not hasattr(t, "numpy") else t.numpy().tolist()
            def flat(x):
                return [v for y in x for v in flat(y)] if isinstance(x, list) else [x]
            out[name] = [str(t.dtype), list(t.shape), [repr(v) for v in flat(a)]]
        print(json.dumps({"tensors": out, "metadata": meta}))
        """
    }

    private func checkPythonRead(loader: String, floatType: String, intType: String) throws {
        let path = directory.file("t.safetensors")
        let swiftSide = try Self.swiftSideTensors()
        try SafetensorsWriter.write(swiftSide, metadata: ["format": "pt", "note": "from Swift"], to: path)
        /// `{"tensors": {name: [dtype, shape, [repr(value)…]]}, "metadata": {…}}`.
        struct Dump: Decodable {
            let tensors: [String: [FixtureValue]]
            let metadata: [String: String]?
        }
        let output = try python(Self.dumpScript(loader), [path])
        let json = try JSONDecoder().decode(Dump.self, from: Data(output.utf8))
        XCTAssertEqual(json.metadata, ["format": "pt", "note": "from Swift"])
        let tensors = json.tensors
        XCTAssertEqual(Set(tensors.keys), Set(swiftSide.keys))
        for (name, expected) in swiftSide {
            let entry = try XCTUnwrap(tensors[name])
            XCTAssertEqual(entry[0].string, expected.dtype == .f32 ? floatType : intType, name)
            XCTAssertEqual(entry[1].ints, expected.shape, name)
            let values = try XCTUnwrap(entry[2].array?.compactMap(\.string))
            if expected.dtype == .f32 {
                XCTAssertEqual(values.map { Float($0) ?? (($0 == "inf") ? .infinity : .nan) }, expected.floats, name)
            } else {
                XCTAssertEqual(values.map { Int64($0) }, expected.integers(Int64.self).map { Optional($0) }, name)
            }
        }
    }

    private func checkSwiftRead(script: String) throws -> SafetensorsArchive {
        let path = directory.file("t.safetensors")
        _ = try python(script, [path])
        return try SafetensorsArchive.read(path: path)
    }

    // MARK: PyTorch

    func testPyTorchLoadsAFileWrittenBySwift() throws {
        try skipUnlessPython(modules: ["safetensors", "torch"])
        try checkPythonRead(loader: "from safetensors.torch import load_file\ntensors = load_file(sys.argv[1])",
                            floatType: "torch.float32", intType: "torch.int64")
    }

    func testSwiftLoadsAFileWrittenByPyTorch() throws {
        try skipUnlessPython(modules: ["safetensors", "torch"])
        let file = try checkSwiftRead(script: """
            import sys, torch
            from safetensors.torch import save_file
            save_file({
                "w": torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4,
                "h": torch.tensor([1.5, -2.0, 65504.0], dtype=torch.float16),
                "bf": torch.tensor([1.0, -3.5], dtype=torch.bfloat16),
                "d": torch.tensor([0.1], dtype=torch.float64),
                "n": torch.tensor(7, dtype=torch.int64),
                "i": torch.tensor([-5, 6], dtype=torch.int32),
                "b": torch.tensor([True, False, True]),
                "u": torch.tensor([255], dtype=torch.uint8),
            }, sys.argv[1], metadata={"format": "pt"})
            """)
        // The stored types and bits; LightningTensor's tests check how each type widens.
        XCTAssertEqual(file.metadata, ["format": "pt"])
        XCTAssertEqual(file["w"]?.shape, [2, 3])
        XCTAssertEqual(file["w"]?.floats, [0, 0.25, 0.5, 0.75, 1, 1.25])
        XCTAssertEqual(file["h"]?.dtype, .f16)
        XCTAssertEqual(file["h"]?.integers(UInt16.self), [0x3E00, 0xC000, 0x7BFF], "1.5, -2, 65504 in binary16")
        XCTAssertEqual(file["bf"]?.dtype, .bf16)
        XCTAssertEqual(file["bf"]?.integers(UInt16.self), [0x3F80, 0xC060], "1, -3.5 in bfloat16")
        XCTAssertEqual(file["d"]?.integers(UInt64.self), [Double(0.1).bitPattern])
        XCTAssertEqual(file["n"]?.shape, [])
        XCTAssertEqual(file["n"]?.integers(Int64.self), [7])
        XCTAssertEqual(file["i"]?.dtype, .i32)
        XCTAssertEqual(file["i"]?.integers(Int32.self), [-5, 6])
        XCTAssertEqual(file["b"]?.dtype, .bool)
        XCTAssertEqual(file["b"]?.bytes, [1, 0, 1])
        XCTAssertEqual(file["u"]?.dtype, .u8)
        XCTAssertEqual(file["u"]?.bytes, [255])
    }

    // MARK: NumPy (the same reference reader and writer, without torch)

    func testNumPyLoadsAFileWrittenBySwift() throws {
        try skipUnlessPython(modules: ["safetensors", "numpy"])
        try checkPythonRead(loader: "from safetensors.numpy import load_file\ntensors = load_file(sys.argv[1])",
                            floatType: "float32", intType: "int64")
    }

    func testSwiftLoadsAFileWrittenByNumPy() throws {
        try skipUnlessPython(modules: ["safetensors", "numpy"])
        let file = try checkSwiftRead(script: """
            import sys, numpy as np
            from safetensors.numpy import save_file
            save_file({
                "w": np.arange(6, dtype=np.float32).reshape(2, 3) / np.float32(4),
                "h": np.array([1.5, -2.0], dtype=np.float16),
                "i8": np.array([-128, 127], dtype=np.int8),
                "n": np.array(9, dtype=np.int64),
            }, sys.argv[1], metadata={"k": "v"})
            """)
        XCTAssertEqual(file.metadata, ["k": "v"])
        XCTAssertEqual(file["w"]?.floats, [0, 0.25, 0.5, 0.75, 1, 1.25])
        XCTAssertEqual(file["h"]?.integers(UInt16.self), [0x3E00, 0xC000], "1.5, -2 in binary16")
        XCTAssertEqual(file["i8"]?.integers(Int8.self), [-128, 127])
        XCTAssertEqual(file["n"]?.integers(Int64.self), [9])
    }

    func testEncodingIsByteIdenticalToTheReferenceWriter() throws {
        try skipUnlessPython(modules: ["safetensors", "numpy"])
        let tensors: [String: SafetensorsTensor] = [
            "b": try .f32([3], [1, 2, 3]), "a.weight": try .f32([2, 2], [1, 2, 3, 4]),
            "count": try .i64([], [5]), "idx": try .i64([3], [1, 2, 3]),
        ]
        let hex = try python("""
            import sys, numpy as np
            from safetensors.numpy import save
            data = save({
                "b": np.array([1, 2, 3], dtype=np.float32),
                "a.weight": np.array([[1, 2], [3, 4]], dtype=np.float32),
                "count": np.array(5, dtype=np.int64),
                "idx": np.array([1, 2, 3], dtype=np.int64),
            }, metadata={"format": "pt"})
            sys.stdout.write(data.hex())
            """)
        let reference = stride(from: 0, to: hex.count, by: 2).map { i -> UInt8 in
            let start = hex.index(hex.startIndex, offsetBy: i)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
        XCTAssertEqual(try SafetensorsWriter.encode(tensors, metadata: ["format": "pt"]), reference)
    }
}
