import XCTest
@testable import LightningTensor

/// Round trips through Python's reference `safetensors` package, when it is installed.
///
/// The project never needs Python; these tests skip (printing why) unless `python3` can import
/// `safetensors` and `torch` (or, for the NumPy variant, `safetensors` and `numpy`).
final class SafetensorsPythonInteropTests: XCTestCase {
    /// Runs `python3 -c script args…`, returning stdout, or nil with the reason when it fails.
    private func python(_ script: String, _ arguments: [String] = []) -> (output: String?, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return (nil, "cannot run python3: \(error)") }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorText = String(decoding: stderr, as: UTF8.self)
        guard process.terminationStatus == 0 else { return (nil, errorText) }
        return (String(decoding: stdout, as: UTF8.self), errorText)
    }

    /// Skips the test unless `python3` can import `modules`.
    private func requirePython(_ modules: String) throws {
        let probe = python("import \(modules)")
        if probe.output == nil {
            let reason = "python3 cannot import \(modules) (\(probe.error.split(separator: "\n").last ?? "no output")); skipping the Python round trip"
            print(reason)
            throw XCTSkip(reason)
        }
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
        let path = try SafetensorsFixture.temporaryPath()
        try Safetensors.write(Self.swiftSideTensors, metadata: ["format": "pt", "note": "from Swift"], to: path)
        let result = python(Self.dumpScript(loader), [path])
        let output = try XCTUnwrap(result.output, result.error)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        XCTAssertEqual(json["metadata"] as? [String: String], ["format": "pt", "note": "from Swift"])
        let tensors = try XCTUnwrap(json["tensors"] as? [String: [Any]])
        XCTAssertEqual(Set(tensors.keys), Set(Self.swiftSideTensors.keys))
        for (name, expected) in Self.swiftSideTensors {
            let entry = try XCTUnwrap(tensors[name])
            XCTAssertEqual(entry[0] as? String, expected.dtype == .float32 ? floatType : intType, name)
            XCTAssertEqual(entry[1] as? [Int], expected.shape, name)
            let values = try XCTUnwrap(entry[2] as? [String])
            switch expected.dtype {
            case .float32:
                XCTAssertEqual(values.map { Float($0) ?? (($0 == "inf") ? .infinity : .nan) }, expected.scalars, name)
            case .int64:
                XCTAssertEqual(values.map { Int64($0) }, expected.int64Scalars.map { Optional($0) }, name)
            }
        }
    }

    private func checkSwiftRead(script: String) throws -> SafetensorsFile {
        let path = try SafetensorsFixture.temporaryPath()
        let result = python(script, [path])
        XCTAssertNotNil(result.output, result.error)
        return try Safetensors.read(path: path)
    }

    // MARK: PyTorch

    func testPyTorchLoadsAFileWrittenBySwift() throws {
        try requirePython("safetensors, torch")
        try checkPythonRead(loader: "from safetensors.torch import load_file\ntensors = load_file(sys.argv[1])",
                            floatType: "torch.float32", intType: "torch.int64")
    }

    func testSwiftLoadsAFileWrittenByPyTorch() throws {
        try requirePython("safetensors, torch")
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
        try requirePython("safetensors, numpy")
        try checkPythonRead(loader: "from safetensors.numpy import load_file\ntensors = load_file(sys.argv[1])",
                            floatType: "float32", intType: "int64")
    }

    func testSwiftLoadsAFileWrittenByNumPy() throws {
        try requirePython("safetensors, numpy")
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
        try requirePython("safetensors, numpy")
        let tensors: [String: Tensor] = [
            "b": Tensor([1, 2, 3] as [Float]), "a.weight": Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]),
            "count": Tensor(shape: [], int64Scalars: [5]), "idx": Tensor(int64: [Int64(1), 2, 3]),
        ]
        let result = python("""
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
        let hex = try XCTUnwrap(result.output, result.error)
        let reference = stride(from: 0, to: hex.count, by: 2).map { i -> UInt8 in
            let start = hex.index(hex.startIndex, offsetBy: i)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
        XCTAssertEqual(try Safetensors.encode(tensors, metadata: ["format": "pt"]), reference)
    }
}
