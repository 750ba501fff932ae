import LightningTestSupport
import XCTest
@testable import LightningTensor

/// Every way a file can be malformed ends in a `SafetensorsError` naming the problem (and the tensor).
final class SafetensorsErrorTests: XCTestCase {
    private lazy var directory = makeTemporaryDirectory(prefix: "safetensors-tests")

    private typealias F = SafetensorsFixture

    private func decode(_ header: String, data: [UInt8] = []) throws -> SafetensorsFile {
        try Safetensors.decode(bytes: F.file(header, data: data))
    }

    private func entry(_ name: String, dtype: String = "F32", shape: String = "[1]", offsets: String = "[0,4]") -> String {
        #""\#(name)":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":\#(offsets)}"#
    }

    // MARK: Header length

    func testInputShorterThanTheLengthField() {
        assertSafetensorsError(try Safetensors.decode(bytes: [])) { $0 == .fileTooSmall(byteCount: 0) }
        assertSafetensorsError(try Safetensors.decode(bytes: [1, 2, 3, 4, 5, 6, 7])) { $0 == .fileTooSmall(byteCount: 7) }
    }

    func testAbsurdHeaderLength() {
        assertSafetensorsError(try Safetensors.decode(bytes: F.littleEndian(100_000_001) + [0x7B, 0x7D])) {
            $0 == .headerTooLarge(length: 100_000_001)
        }
        assertSafetensorsError(try Safetensors.decode(bytes: F.littleEndian(.max))) { $0 == .headerTooLarge(length: .max) }
    }

    func testHeaderLengthPastTheEnd() {
        assertSafetensorsError(try Safetensors.decode(bytes: F.littleEndian(100) + Array("{}".utf8))) {
            $0 == .headerPastEnd(length: 100, available: 2)
        }
    }

    // MARK: Header text

    func testHeaderThatIsNotUTF8() {
        assertSafetensorsError(try Safetensors.decode(bytes: F.littleEndian(4) + [0x7B, 0xFF, 0xFE, 0x7D])) { $0 == .headerNotUTF8 }
        // An overlong encoding of "/" and a lone surrogate encoded in UTF-8 are invalid too.
        assertSafetensorsError(try Safetensors.decode(bytes: F.littleEndian(4) + [0x7B, 0xC0, 0xAF, 0x7D])) { $0 == .headerNotUTF8 }
        assertSafetensorsError(try Safetensors.decode(bytes: F.littleEndian(5) + [0x7B, 0xED, 0xA0, 0x80, 0x7D])) { $0 == .headerNotUTF8 }
    }

    func testInvalidJSON() {
        let bad = [
            #"{"a":"#, #"{} x"#, "{'a': 1}", #"{"a":tru}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":-}"#, "{,}",
            #"{"a":[1,]}"#, #"{"a" 1}"#, #"{"\ud800":1}"#, #"{"\udc00":1}"#, #"{"\ud800\u0041":1}"#, #"{"\x":1}"#,
            "{\"a\u{01}\":1}", #"{"\u12G4":1}"#, "", "   ", #"{"a":"unterminated}"#,
        ]
        for text in bad {
            assertSafetensorsError(try decode(text)) {
                if case .invalidJSON = $0 { return true } else { return false }
            }
        }
    }

    func testDeepNestingIsRefusedWithoutExhaustingTheStack() {
        let deep = #"{"a":"# + String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000) + "}"
        let error = assertSafetensorsError(try decode(deep)) {
            if case .invalidJSON(let detail) = $0 { return detail.contains("nesting") } else { return false }
        }
        XCTAssertNotNil(error)
    }

    func testHeaderThatIsNotAnObject() {
        for text in ["[]", #""s""#, "1", "null", "true"] {
            assertSafetensorsError(try decode(text)) { $0 == .headerNotObject }
        }
    }

    func testInvalidMetadata() {
        for text in [#"{"__metadata__":{"a":1}}"#, #"{"__metadata__":[]}"#, #"{"__metadata__":"x"}"#,
                     #"{"__metadata__":{"a":"1","a":"2"}}"#, #"{"__metadata__":{"a":null}}"#] {
            assertSafetensorsError(try decode(text)) {
                if case .invalidMetadata = $0 { return true } else { return false }
            }
        }
    }

    // MARK: Entries

    func testDuplicateTensorName() {
        let header = "{" + entry("w") + "," + entry("w", offsets: "[4,8]") + "}"
        assertSafetensorsError(try decode(header, data: F.floatBytes([1, 2])), tensor: "w") { $0 == .duplicateName }
        assertSafetensorsError(try decode(#"{"__metadata__":{},"__metadata__":{}}"#), tensor: "__metadata__") { $0 == .duplicateName }
    }

    func testMissingFields() {
        assertSafetensorsError(try decode(#"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, data: F.floatBytes([1])), tensor: "w") { $0 == .missingField("dtype") }
        assertSafetensorsError(try decode(#"{"w":{"dtype":"F32","data_offsets":[0,4]}}"#, data: F.floatBytes([1])), tensor: "w") { $0 == .missingField("shape") }
        assertSafetensorsError(try decode(#"{"w":{"dtype":"F32","shape":[1]}}"#, data: F.floatBytes([1])), tensor: "w") { $0 == .missingField("data_offsets") }
    }

    func testFieldsOfTheWrongType() {
        let cases: [(String, String)] = [
            (#"{"w":[1]}"#, "entry"),
            (#"{"w":{"dtype":5,"shape":[1],"data_offsets":[0,4]}}"#, "dtype"),
            (#"{"w":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}"#, "shape"),
            (#"{"w":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, "dtype"),
        ]
        for (header, field) in cases {
            assertSafetensorsError(try decode(header, data: F.floatBytes([1])), tensor: "w") {
                if case .invalidField(let f, _) = $0 { return f == field } else { return false }
            }
        }
    }

    func testUnknownDType() {
        for dtype in ["F8_E4M3", "C64", "U64", "f32", "", "F32 "] {
            assertSafetensorsError(try decode("{" + entry("w", dtype: dtype) + "}", data: F.floatBytes([1])), tensor: "w") {
                $0 == .unknownDType(dtype)
            }
        }
    }

    func testInvalidShapes() {
        for shape in ["[-1]", "[1.5]", "[1e2]", "[-0]", #"["1"]"#, "[null]", "[[1]]", "[99999999999999999999999]",
                      "[4294967296,4294967296,4]", "[9223372036854775807,2]"] {
            assertSafetensorsError(try decode("{" + entry("w", shape: shape) + "}", data: F.floatBytes([1])), tensor: "w") {
                if case .invalidShape = $0 { return true } else { return false }
            }
        }
        // Fits in Int, but the byte count (× 4) overflows.
        assertSafetensorsError(try decode("{" + entry("w", shape: "[4611686018427387904]") + "}", data: F.floatBytes([1])), tensor: "w") {
            $0 == .invalidShape(detail: "byte count overflows")
        }
    }

    func testInvalidOffsets() {
        for offsets in ["[0]", "[0,4,8]", "[4,0]", "[-1,3]", "[0,4.0]", #"["0",4]"#, "{}", "[0,99999999999999999999]"] {
            assertSafetensorsError(try decode("{" + entry("w", offsets: offsets) + "}", data: F.floatBytes([1])), tensor: "w") {
                if case .invalidOffsets = $0 { return true } else { return false }
            }
        }
    }

    func testByteCountNotMatchingDTypeAndShape() {
        assertSafetensorsError(try decode("{" + entry("w", shape: "[2]", offsets: "[0,4]") + "}", data: F.floatBytes([1])), tensor: "w") {
            $0 == .byteCountMismatch(expected: 8, actual: 4)
        }
        assertSafetensorsError(try decode("{" + entry("w", dtype: "I64", shape: "[1]", offsets: "[0,4]") + "}", data: F.floatBytes([1])), tensor: "w") {
            $0 == .byteCountMismatch(expected: 8, actual: 4)
        }
    }

    // MARK: Layout of the data section

    func testOffsetsPastTheData() {
        assertSafetensorsError(try decode("{" + entry("w", shape: "[2]", offsets: "[0,8]") + "}", data: F.floatBytes([1])), tensor: "w") {
            $0 == .offsetsOutOfRange(start: 0, end: 8, dataLength: 4)
        }
    }

    func testOverlappingOffsets() {
        let header = "{" + entry("a", shape: "[2]", offsets: "[0,8]") + "," + entry("b", offsets: "[4,8]") + "}"
        assertSafetensorsError(try decode(header, data: F.floatBytes([1, 2])), tensor: "b") {
            $0 == .offsetsOverlap(start: 4, previousEnd: 8)
        }
        let same = "{" + entry("a") + "," + entry("b") + "}"
        assertSafetensorsError(try decode(same, data: F.floatBytes([1])), tensor: "b") { $0 == .offsetsOverlap(start: 0, previousEnd: 4) }
    }

    func testGapsBetweenTensors() {
        assertSafetensorsError(try decode("{" + entry("w", offsets: "[4,8]") + "}", data: F.floatBytes([1, 2])), tensor: "w") {
            $0 == .offsetsGap(start: 4, previousEnd: 0)
        }
        let header = "{" + entry("a") + "," + entry("b", offsets: "[8,12]") + "}"
        assertSafetensorsError(try decode(header, data: F.floatBytes([1, 2, 3])), tensor: "b") { $0 == .offsetsGap(start: 8, previousEnd: 4) }
    }

    func testTrailingDataAfterTheLastTensor() {
        assertSafetensorsError(try decode("{" + entry("w") + "}", data: F.floatBytes([1, 2]))) {
            $0 == .trailingData(dataEnd: 4, dataLength: 8)
        }
        assertSafetensorsError(try decode("{}", data: [0])) { $0 == .trailingData(dataEnd: 0, dataLength: 1) }
    }

    // MARK: Files

    func testErrorsFromAFileNameTheFileAndTheTensor() throws {
        let path = directory.file("broken.safetensors")
        try Data(F.file("{" + entry("layer.weight", dtype: "Q4") + "}", data: F.floatBytes([1]))).write(to: URL(fileURLWithPath: path))
        let error = assertSafetensorsError(try Safetensors.read(path: path), tensor: "layer.weight") { $0 == .unknownDType("Q4") }
        XCTAssertEqual(error?.path, path)
        let text = error?.description ?? ""
        XCTAssertTrue(text.contains(path) && text.contains("layer.weight") && text.contains("Q4"), text)
    }

    func testTruncatedFileOnDisk() throws {
        let path = directory.file("t.safetensors")
        let bytes = try Safetensors.encode(["w": Tensor([1, 2, 3] as [Float])])
        try Data(bytes.dropLast(2)).write(to: URL(fileURLWithPath: path))
        assertSafetensorsError(try Safetensors.read(path: path), tensor: "w") {
            if case .offsetsOutOfRange = $0 { return true } else { return false }
        }
        try Data(bytes.prefix(5)).write(to: URL(fileURLWithPath: path))
        assertSafetensorsError(try Safetensors.read(path: path)) { $0 == .fileTooSmall(byteCount: 5) }
        try Data(bytes.prefix(20)).write(to: URL(fileURLWithPath: path))
        assertSafetensorsError(try Safetensors.read(path: path)) {
            if case .headerPastEnd = $0 { return true } else { return false }
        }
    }

    func testReadingADirectoryIsAnError() throws {
        let dir = directory.path
        assertSafetensorsError(try Safetensors.read(path: dir)) {
            if case .io = $0 { return true } else { return false }
        }
    }
}
