import Foundation
import LightningTestSupport
import XCTest
@testable import LightningTensor

final class SafetensorsRoundTripTests: XCTestCase {
    private lazy var directory = makeTemporaryDirectory(prefix: "safetensors-tests")

    func testEncodeDecodeRoundTripKeepsEveryTensorExactly() throws {
        let tensors = SafetensorsFixture.sampleTensors()
        let decoded = try Safetensors.decode(bytes: Safetensors.encode(tensors, metadata: ["epoch": "3"]))
        XCTAssertEqual(Set(decoded.names), Set(tensors.keys))
        XCTAssertEqual(decoded.metadata, ["epoch": "3"])
        for (name, tensor) in tensors { SafetensorsFixture.assertEqual(decoded[name], tensor, name) }
        XCTAssertEqual(decoded.storedDTypes["labels"], .i64)
        XCTAssertEqual(decoded.storedDTypes["scale"], .f32)
    }

    func testWriteReadRoundTripThroughAFile() throws {
        let path = directory.file("t.safetensors")
        let tensors = SafetensorsFixture.sampleTensors()
        let metadata = ["format": "pt", "quote\"and\\slash": "line\nbreak\u{01}", "ünïcode": "✓ 😀"]
        try Safetensors.write(tensors, metadata: metadata, to: path)
        let file = try Safetensors.read(path: path)
        XCTAssertEqual(file.metadata, metadata)
        for (name, tensor) in tensors { SafetensorsFixture.assertEqual(file[name], tensor, name) }
        // The file on disk is exactly what encode produces.
        let onDisk = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(onDisk, try Safetensors.encode(tensors, metadata: metadata))
    }

    func testWriteIsAtomicAndLeavesNoTemporaryFiles() throws {
        let path = directory.file("model.safetensors")
        try Safetensors.write(["a": Tensor([1, 2] as [Float])], to: path)
        try Safetensors.write(["b": Tensor([3] as [Float])], to: path)  // replaces, never appends
        XCTAssertEqual(try directory.contents(), ["model.safetensors"])
        let file = try Safetensors.read(path: path)
        XCTAssertEqual(file.names, ["b"])
    }

    func testWriteIntoAMissingDirectoryThrowsNamingTheFile() throws {
        let path = "/nonexistent-dir-\(UUID().uuidString)/x.safetensors"
        let error = assertSafetensorsError(try Safetensors.write(["a": Tensor([1] as [Float])], to: path)) {
            if case .io = $0 { return true } else { return false }
        }
        XCTAssertTrue(error?.description.contains("nonexistent-dir") ?? false)
    }

    func testReadingAMissingFileThrowsNamingIt() {
        let error = assertSafetensorsError(try Safetensors.read(path: "/no/such/file.safetensors")) {
            if case .io(let op, _) = $0 { return op == "open" } else { return false }
        }
        XCTAssertEqual(error?.path, "/no/such/file.safetensors")
        XCTAssertTrue(error?.description.contains("/no/such/file.safetensors") ?? false)
    }

    func testWriterOrdersByAlignmentThenNameAndAlignsEveryTensor() throws {
        let tensors: [String: Tensor] = [
            "b": Tensor([1, 2, 3] as [Float]),             // 12 bytes: would misalign a following int64
            "a": Tensor([Float(1)]),
            "z.count": Tensor(int64: [Int64(5)]),
            "c.count": Tensor(int64: [Int64(6), 7]),
        ]
        let bytes = try Safetensors.encode(tensors)
        let decoded = try Safetensors.decode(bytes: bytes)
        XCTAssertEqual(decoded.names, ["c.count", "z.count", "a", "b"])
        let headerLength = Int(bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        XCTAssertEqual(headerLength % 8, 0, "header padded to a multiple of 8")
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix(#"{"c.count":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"z.count":"#), header)
        let json = header.reversed().drop { $0 == " " }
        XCTAssertEqual(json.first, "}", "only spaces pad the header")
        let entries = try JSONDecoder().decode([String: FixtureValue].self, from: Data(header.utf8))
        for (name, entry) in entries {
            let start = try XCTUnwrap(entry.object?["data_offsets"]?.ints?.first)
            let size = entry.object?["dtype"]?.string == "I64" ? 8 : 4
            XCTAssertEqual((8 + headerLength + start) % size, 0, "\(name) is aligned to its element size in the file")
        }
    }

    func testNamesSortByteWiseLikeTheReference() throws {
        // Byte-wise UTF-8 order puts "Z" before "a" and "é" after "z".
        let tensors: [String: Tensor] = ["é": Tensor([1] as [Float]), "a": Tensor([2] as [Float]), "Z": Tensor([3] as [Float]), "a.b": Tensor([4] as [Float]), "a0": Tensor([5] as [Float])]
        XCTAssertEqual(try Safetensors.decode(bytes: Safetensors.encode(tensors)).names, ["Z", "a", "a.b", "a0", "é"])
    }

    func testViewsWriteOnlyTheirElements() throws {
        let storage = TensorStorage(byteCount: 10 * 4)
        let whole = Tensor(storage: storage, shape: [10])
        whole.withUnsafeMutableBufferPointer { for i in 0..<10 { $0[i] = Float(i) } }
        let view = Tensor(storage: storage, shape: [2, 2], offset: 3)
        let decoded = try Safetensors.decode(bytes: Safetensors.encode(["v": view]))
        XCTAssertEqual(decoded["v"]?.scalars, [3, 4, 5, 6])
        XCTAssertEqual(decoded["v"]?.shape, [2, 2])
    }

    func testEmptyDictionaryRoundTrips() throws {
        let decoded = try Safetensors.decode(bytes: Safetensors.encode([:]))
        XCTAssertTrue(decoded.tensors.isEmpty)
        XCTAssertTrue(decoded.metadata.isEmpty)
    }

    func testUnusualNamesRoundTrip() throws {
        let names = ["", " ", "with\"quote", "back\\slash", "tab\tnew\nline", "nul\u{0}byte", "🙂.weight", "\u{7F}"]
        var tensors: [String: Tensor] = [:]
        for (i, n) in names.enumerated() { tensors[n] = Tensor([Float(i)]) }
        let decoded = try Safetensors.decode(bytes: Safetensors.encode(tensors))
        for (i, n) in names.enumerated() { XCTAssertEqual(decoded[n]?.scalars, [Float(i)], n.debugDescription) }
    }

    func testReservedNameIsRefusedWhenWriting() {
        assertSafetensorsError(try Safetensors.encode(["__metadata__": Tensor([1] as [Float])]), tensor: "__metadata__") { $0 == .reservedName }
    }

    func testLargerTensorRoundTripsThroughAFile() throws {
        let path = directory.file("t.safetensors")
        let big = Tensor.randn([257, 129])
        try Safetensors.write(["big": big, "idx": Tensor.arange(1000)], to: path)
        let file = try Safetensors.read(path: path)
        SafetensorsFixture.assertEqual(file["big"], big)
        XCTAssertEqual(file["idx"]?.int64Scalars, (0..<1000).map { Int64($0) })
    }
}
