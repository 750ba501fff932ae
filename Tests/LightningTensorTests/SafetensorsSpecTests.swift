import LightningTestSupport
import XCTest
@testable import LightningTensor

/// Byte-level checks against the published format and the reference implementation's own test vectors.
final class SafetensorsSpecTests: XCTestCase {
    private lazy var directory = makeTemporaryDirectory(prefix: "safetensors-tests")

    private typealias F = SafetensorsFixture

    func testSingleTensorMatchesTheReferenceBytes() throws {
        let t = Tensor(shape: [1, 2, 3], scalars: [0, 1, 2, 3, 4, 5])
        let header = #"{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}"#
        XCTAssertEqual(header.utf8.count, 64, "already a multiple of 8: no padding")
        let expected = F.littleEndian(64) + Array(header.utf8) + F.floatBytes([0, 1, 2, 3, 4, 5])
        XCTAssertEqual(try Safetensors.encode(["attn.0": t]), expected)
        XCTAssertEqual(try Safetensors.decode(bytes: expected)["attn.0"]?.scalars, [0, 1, 2, 3, 4, 5])
    }

    func testHeaderIsPaddedWithSpacesToAlignData() throws {
        let t = Tensor(shape: [1, 1, 2, 3], scalars: [0, 1, 2, 3, 4, 5])
        let header = #"{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}"#
        XCTAssertEqual(header.utf8.count, 65)
        let expected = F.littleEndian(72) + Array(header.utf8) + Array(repeating: 0x20, count: 7) + F.floatBytes([0, 1, 2, 3, 4, 5])
        XCTAssertEqual(try Safetensors.encode(["attn0": t]), expected)
    }

    func testEmptyFilesMatchTheReferenceBytes() throws {
        XCTAssertEqual(try Safetensors.encode([:]), F.littleEndian(8) + Array("{}      ".utf8))
        let withMetadata = F.littleEndian(40) + Array(#"{"__metadata__":{"framework":"pt"}}     "#.utf8)
        XCTAssertEqual(try Safetensors.encode([:], metadata: ["framework": "pt"]), withMetadata)
        XCTAssertEqual(try Safetensors.decode(bytes: withMetadata).metadata, ["framework": "pt"])
    }

    func testMetadataComesFirstWithSortedKeys() throws {
        let bytes = try Safetensors.encode(["w": Tensor([1] as [Float])], metadata: ["b": "2", "a": "1"])
        let header = String(decoding: bytes[8...], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix(#"{"__metadata__":{"a":"1","b":"2"},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#), header)
    }

    func testHandBuiltFileWithEveryReadableDTypeWidensCorrectly() throws {
        var data: [UInt8] = []
        var entries: [String] = []
        func add(_ name: String, _ dtype: String, _ shape: [Int], _ bytes: [UInt8]) {
            entries.append(#""\#(name)":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":[\#(data.count),\#(data.count + bytes.count)]}"#)
            data += bytes
        }
        func le<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] { F.littleEndianBytes(values) }
        add("f64", "F64", [2], le([Double(1.5).bitPattern, Double(-2.25).bitPattern]))
        add("f16", "F16", [2, 3], le([UInt16(0x3C00), 0xC000, 0x0001, 0x7C00, 0x7BFF, 0x8000]))
        add("bf16", "BF16", [2], le([UInt16(0x3F80), 0xC0A0]))
        add("i32", "I32", [2], le([Int32(-7), Int32.max]))
        add("u32", "U32", [1], le([UInt32.max]))
        add("i16", "I16", [1], le([Int16(-300)]))
        add("u16", "U16", [1], le([UInt16.max]))
        add("i8", "I8", [2], le([Int8.min, Int8.max]))
        add("u8", "U8", [2], [0, 255])
        add("bool", "BOOL", [3], [0, 1, 1])
        add("f32", "F32", [], F.floatBytes([-0.0]))
        add("i64", "I64", [1, 1], F.int64Bytes([Int64(-9)]))
        // Listed out of data order, metadata last, an unknown field: all allowed by the spec.
        let header = "{ " + entries.reversed().joined(separator: ", ") + #", "__metadata__": {"k": "v"}, "#
            + #""extra":{"data_offsets":[\#(data.count),\#(data.count)],"shape":[0],"dtype":"F32","note":"x"} }"#
        let file = try Safetensors.decode(bytes: F.file(header, data: data))

        XCTAssertEqual(file.names.prefix(3), ["f64", "f16", "bf16"], "names come in data order")
        XCTAssertEqual(file.metadata, ["k": "v"])
        XCTAssertEqual(file["f64"]?.scalars, [1.5, -2.25])
        XCTAssertEqual(file["f16"]?.shape, [2, 3])
        let halves = try XCTUnwrap(file["f16"]?.scalars)
        XCTAssertEqual(Array(halves[0..<3]), [1, -2, 0x1p-24])
        XCTAssertEqual(halves[3], .infinity)
        XCTAssertEqual(halves[4], 65504)
        XCTAssertEqual(halves[5].bitPattern, (-0.0 as Float).bitPattern)
        XCTAssertEqual(file["bf16"]?.scalars, [1, -5])
        XCTAssertEqual(file["i32"]?.int64Scalars, [-7, Int64(Int32.max)])
        XCTAssertEqual(file["u32"]?.int64Scalars, [Int64(UInt32.max)])
        XCTAssertEqual(file["i16"]?.int64Scalars, [-300])
        XCTAssertEqual(file["u16"]?.int64Scalars, [65535])
        XCTAssertEqual(file["i8"]?.int64Scalars, [-128, 127])
        XCTAssertEqual(file["u8"]?.int64Scalars, [0, 255])
        XCTAssertEqual(file["bool"]?.int64Scalars, [0, 1, 1])
        XCTAssertEqual(file["f32"]?.shape, [])
        XCTAssertEqual(file["f32"]?.scalars.first?.bitPattern, (-0.0 as Float).bitPattern)
        XCTAssertEqual(file["i64"]?.int64Scalars, [-9])
        XCTAssertEqual(file["extra"]?.shape, [0])
        XCTAssertEqual(file.storedDTypes["bf16"], .bf16)
        XCTAssertEqual(file["bool"]?.dtype, .int64)
        XCTAssertEqual(file["f16"]?.dtype, .float32)

        // Read from disk too: the converting path reads through a temporary buffer.
        let path = directory.file("t.safetensors")
        try Data(F.file(header, data: data)).write(to: URL(fileURLWithPath: path))
        let fromDisk = try Safetensors.read(path: path)
        for name in file.names { F.assertEqual(fromDisk[name], file[name], name) }
    }

    func testHalfConversionIsExactForEveryBitPattern() {
        for bits in 0...UInt16.max {
            let f = StoredElement.floatFromHalf(bits)
            let sign: Float = bits & 0x8000 == 0 ? 1 : -1
            let exponent = Int((bits >> 10) & 0x1F), mantissa = Float(bits & 0x3FF)
            let expected: Float
            switch exponent {
            case 0: expected = sign * mantissa * 0x1p-24
            case 31: expected = mantissa == 0 ? sign * .infinity : .nan
            default: expected = sign * (1 + mantissa / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
            }
            if expected.isNaN { XCTAssertTrue(f.isNaN, "\(bits)") } else { XCTAssertEqual(f, expected, "\(bits)") }
        }
    }

    func testEscapedNamesAndWhitespaceInTheHeaderParse() throws {
        let header = "\n\t{ \"a\\u00e9\\ud83d\\ude00\\/\\\"\" :\r {\"dtype\" : \"F32\", \"shape\" : [ ], \"data_offsets\" : [0 , 4]} }\n"
        let file = try Safetensors.decode(bytes: F.file(header, data: F.floatBytes([3])))
        XCTAssertEqual(file.names, ["aé😀/\""])
    }

    func testMetadataNullIsTheSameAsNone() throws {
        XCTAssertEqual(try Safetensors.decode(bytes: F.file(#"{"__metadata__":null}"#)).metadata, [:])
    }
}
