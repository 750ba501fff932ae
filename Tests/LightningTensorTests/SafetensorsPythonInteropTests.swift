import Foundation
import LightningTestSupport
import XCTest
@testable import LightningTensor

/// Round trips through Python's reference `safetensors` package, when it is installed.
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

    private static let swiftSideTensors: [String: Tensor] = [
        "net.0.weight": Tensor(shape: [2, 3], scalars: [0.1, -0.2, 0.3, 1e-30, -1e30, .infinity]),
        "net.0.bias": Tensor([0.5, -0.5]),
        "bn.running_mean": Tensor(shape: [], scalars: [3.25]),
        "bn.num_batches_tracked": Tensor(shape: [], int64Scalars: [123_456_789_012]),
        "labels": Tensor(int64: [Int64.min, -1, 0, Int64.max]),
        "empty": Tensor(shape: [0, 3], scalars: []),
    ]

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
        try Safetensors.write(Self.swiftSideTensors, metadata: ["format": "pt", "note": "from Swift"], to: path)
        /// `{"tensors": {name: [dtype, shape, [repr(value)…]]}, "metadata": {…}}`.
        struct Dump: Decodable {
            let tensors: [String: [JSONValue]]
            let metadata: [String: String]?
        }
        let output = try python(Self.dumpScript(loader), [path])
        let json = try JSONDecoder().decode(Dump.self, from: Data(output.utf8))
        XCTAssertEqual(json.metadata, ["format": "pt", "note": "from Swift"])
        let tensors = json.tensors
        XCTAssertEqual(Set(tensors.keys), Set(Self.swiftSideTensors.keys))
        for (name, expected) in Self.swiftSideTensors {
            let entry = try XCTUnwrap(tensors[name])
            XCTAssertEqual(entry[0].string, expected.dtype == .float32 ? floatType : intType, name)
            XCTAssertEqual(entry[1].ints, expected.shape, name)
            let values = try XCTUnwrap(entry[2].array?.compactMap(\.string))
            switch expected.dtype {
            case .float32:
                XCTAssertEqual(values.map { Float($0) ?? (($0 == "inf") ? .infinity : .nan) }, expected.scalars, name)
            case .int64:
                XCTAssertEqual(values.map { Int64($0) }, expected.int64Scalars.map { Optional($0) }, name)
            }
        }
    }

    private func checkSwiftRead(script: String) throws -> SafetensorsFile {
        let path = directory.file("t.safetensors")
        _ = try python(script, [path])
        return try Safetensors.read(path: path)
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
        XCTAssertEqual(file.metadata, ["format": "pt"])
        XCTAssertEqual(file["w"]?.shape, [2, 3])
        XCTAssertEqual(file["w"]?.scalars, [0, 0.25, 0.5, 0.75, 1, 1.25])
        XCTAssertEqual(file["h"]?.scalars, [1.5, -2, 65504])
        XCTAssertEqual(file["bf"]?.scalars, [1, -3.5])
        XCTAssertEqual(file["d"]?.scalars, [Float(0.1)])
        XCTAssertEqual(file["n"]?.shape, [])
        XCTAssertEqual(file["n"]?.int64Scalars, [7])
        XCTAssertEqual(file["i"]?.int64Scalars, [-5, 6])
        XCTAssertEqual(file["b"]?.int64Scalars, [1, 0, 1])
        XCTAssertEqual(file["u"]?.int64Scalars, [255])
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
        XCTAssertEqual(file["w"]?.scalars, [0, 0.25, 0.5, 0.75, 1, 1.25])
        XCTAssertEqual(file["h"]?.scalars, [1.5, -2])
        XCTAssertEqual(file["i8"]?.int64Scalars, [-128, 127])
        XCTAssertEqual(file["n"]?.int64Scalars, [9])
    }

    func testEncodingIsByteIdenticalToTheReferenceWriter() throws {
        try skipUnlessPython(modules: ["safetensors", "numpy"])
        let tensors: [String: Tensor] = [
            "b": Tensor([1, 2, 3] as [Float]), "a.weight": Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]),
            "count": Tensor(shape: [], int64Scalars: [5]), "idx": Tensor(int64: [Int64(1), 2, 3]),
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
        XCTAssertEqual(try Safetensors.encode(tensors, metadata: ["format": "pt"]), reference)
    }
}
