import Foundation
import LightningTestSupport
import Safetensors
import XCTest

/// The codec on its own: bytes, dtypes, shapes and metadata, no tensor library.
final class SafetensorsArchiveTests: XCTestCase {
    private lazy var directory = makeTemporaryDirectory(prefix: "safetensors-tests")

    func testArchiveRoundTripsThroughBytesAndFiles() throws {
        let archive = SafetensorsArchive(tensors: try SafetensorsTensor.sampleState(), metadata: ["epoch": "3"])
        XCTAssertEqual(archive.names.prefix(2), ["bn.num_batches_tracked", "labels"], "8-byte elements first, then by name")
        let bytes = try archive.encoded()
        XCTAssertEqual(try SafetensorsArchive.decode(bytes: bytes), archive)

        let path = directory.file("state.safetensors")
        try archive.write(to: path)
        XCTAssertEqual(try SafetensorsArchive.read(path: path), archive)
        XCTAssertEqual(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), bytes)
        XCTAssertEqual(try directory.contents(), ["state.safetensors"], "no temporary file left behind")
    }

    func testHeaderAndReaderLocateEachTensor() throws {
        let tensors: [String: SafetensorsTensor] = ["w": try .f32([2], [1, 2]), "n": try .i64([], [7])]
        let bytes = try SafetensorsWriter.encode(tensors, metadata: ["k": "v"])
        let header = try bytes.withUnsafeBytes { try SafetensorsHeader(file: $0) }
        XCTAssertEqual(header.metadata, ["k": "v"])
        XCTAssertEqual(header.entries.map { $0.name }, ["n", "w"])
        XCTAssertEqual(header.entries.map { $0.dataOffsets }, [0..<8, 8..<16])
        XCTAssertEqual(header.dataStart + 16, bytes.count)
        XCTAssertEqual(header.dataStart % 8, 0, "the header is padded to a multiple of 8")

        let path = directory.write("t.safetensors", bytes)
        let reader = try SafetensorsReader(path: path)
        XCTAssertEqual(reader.header, header)
        var floats = [Float](repeating: 0, count: 2)
        try floats.withUnsafeMutableBytes { try reader.read(header.entries[1], into: $0) }
        XCTAssertEqual(floats, [1, 2])
        XCTAssertEqual(try reader.bytes(of: header.entries[0]), SafetensorsFixture.int64Bytes([7]))
    }

    func testTensorsAndTheWriterRefuseBytesThatDoNotMatchTheShape() throws {
        XCTAssertThrowsError(try SafetensorsTensor(dtype: .f32, shape: [3], bytes: [0, 0, 0, 0])) {
            XCTAssertEqual(($0 as? SafetensorsError)?.problem, .byteCountMismatch(expected: 12, actual: 4))
        }
        XCTAssertThrowsError(try SafetensorsTensor(dtype: .u8, shape: [-1], bytes: [])) {
            guard case .invalidShape = ($0 as? SafetensorsError)?.problem else { return XCTFail("\($0)") }
        }

        /// Claims two floats but holds one.
        struct Short: SafetensorsEncodable {
            var safetensorsDType: SafetensorsDType { .f32 }
            var shape: [Int] { [2] }
            func withSafetensorsBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
                try SafetensorsFixture.floatBytes([1]).withUnsafeBytes(body)
            }
        }
        XCTAssertThrowsError(try SafetensorsWriter.encode(["short": Short()])) {
            XCTAssertEqual($0 as? SafetensorsError, SafetensorsError(.byteCountMismatch(expected: 8, actual: 4), tensor: "short"))
        }
        let path = directory.file("short.safetensors")
        XCTAssertThrowsError(try SafetensorsWriter.write(["short": Short()], to: path)) {
            XCTAssertEqual(($0 as? SafetensorsError)?.path, path)
        }
        XCTAssertEqual(try directory.contents(), [], "a failed write leaves nothing behind")
        XCTAssertThrowsError(try SafetensorsWriter.encode(["__metadata__": try SafetensorsTensor.f32([], [1])])) {
            XCTAssertEqual(($0 as? SafetensorsError)?.problem, .reservedName)
        }
    }

    func testReaderErrorsNameTheFileAndTheTensor() throws {
        var bytes = try SafetensorsWriter.encode(["w": try SafetensorsTensor.f32([3], [1, 2, 3])])
        bytes.removeLast(2)
        let path = directory.write("cut.safetensors", bytes)
        XCTAssertThrowsError(try SafetensorsReader(path: path)) { error in
            XCTAssertEqual((error as? SafetensorsError)?.path, path)
            XCTAssertEqual((error as? SafetensorsError)?.problem, .offsetsOutOfRange(start: 0, end: 12, dataLength: 10))
            XCTAssertTrue("\(error)".contains("cut.safetensors: tensor 'w'"), "\(error)")
        }
        XCTAssertThrowsError(try SafetensorsReader(path: directory.file("missing.safetensors"))) { error in
            guard case .io(operation: "open", _) = (error as? SafetensorsError)?.problem else { return XCTFail("\(error)") }
        }
    }
}
