import LightningTestSupport
import XCTest
@testable import LightningData

/// Builds `.npy` bytes by hand, as NumPy would write them.
private func npy(descr: String, fortran: Bool = false, shape: String, data: [UInt8], major: UInt8 = 1) -> [UInt8] {
    var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
    let prefix = major == 1 ? 10 : 12
    header += String(repeating: " ", count: (64 - (prefix + header.utf8.count + 1) % 64) % 64) + "\n"
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
    let n = header.utf8.count
    bytes += major == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), 0, 0]
    return bytes + Array(header.utf8) + data
}

private func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
}

final class NPYTests: XCTestCase {
    lazy var dir = makeTemporaryDirectory()

    func testRoundTripFloat32AndInt64() throws {
        let x = Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, 1e-7, 6])
        let y = Tensor(shape: [4], int64Scalars: [0, -1, Int64.max, 3])
        let s = Tensor(shape: [], scalars: [42])
        for t in [x, y, s] {
            let path = dir.file("t.npy")
            try NPY.write(t, to: path)
            let back = try NPY.read(path: path)
            XCTAssertEqual(back.shape, t.shape)
            XCTAssertEqual(back.dtype, t.dtype)
            XCTAssertEqual(back.int64Scalars, t.int64Scalars)
            XCTAssertEqual(back.scalars, t.scalars)
        }
        XCTAssertEqual(NPY.encode(x).count % 64, (2 * 3 * 4) % 64, "data starts on a 64-byte boundary")
    }

    func testFloat64BecomesFloat32() throws {
        let data = [1.25, -2.5, 1e300].flatMap { d in withUnsafeBytes(of: d.bitPattern.littleEndian) { Array($0) } }
        let t = try NPY.read(path: dir.write("f8.npy", npy(descr: "<f8", shape: "(3,)", data: data)))
        XCTAssertEqual(t.dtype, .float32)
        XCTAssertEqual(t.scalars, [1.25, -2.5, .infinity])
    }

    func testUInt8BecomesInt64OrFloat32OnRequest() throws {
        let path = dir.write("u1.npy", npy(descr: "|u1", shape: "(2, 2)", data: [0, 7, 200, 255]))
        let labels = try NPY.read(path: path)
        XCTAssertEqual(labels.dtype, .int64)
        XCTAssertEqual(labels.shape, [2, 2])
        XCTAssertEqual(labels.int64Scalars, [0, 7, 200, 255])
        let pixels = try NPY.read(path: path, as: .float32)
        XCTAssertEqual(pixels.scalars, [0, 7, 200, 255])
    }

    func testInt64AndSmallerIntegersAndBool() throws {
        let i8 = try NPY.read(path: dir.write("i8.npy", npy(descr: "<i8", shape: "(2,)", data: littleEndianBytes([Int64(-5), 9]))))
        XCTAssertEqual(i8.int64Scalars, [-5, 9])
        let i4 = try NPY.read(path: dir.write("i4.npy", npy(descr: "<i4", shape: "(2,)", data: littleEndianBytes([Int32(-7), 70000]))))
        XCTAssertEqual(i4.int64Scalars, [-7, 70000])
        let b1 = try NPY.read(path: dir.write("b1.npy", npy(descr: "|b1", shape: "(3,)", data: [1, 0, 1])))
        XCTAssertEqual(b1.int64Scalars, [1, 0, 1])
        let f4 = try NPY.read(path: dir.write("f4i.npy", npy(descr: "<f4", shape: "(1,)", data: littleEndianBytes([Float(2.5).bitPattern]))), as: .int64)
        XCTAssertEqual(f4.int64Scalars, [2])
    }

    func testBigEndianAndVersion2Headers() throws {
        let be = [Float(1.5), -3].flatMap { f in withUnsafeBytes(of: f.bitPattern.bigEndian) { Array($0) } }
        XCTAssertEqual(try NPY.read(path: dir.write("be.npy", npy(descr: ">f4", shape: "(2,)", data: be))).scalars, [1.5, -3])
        let v2 = npy(descr: "<i8", shape: "(1, 1)", data: littleEndianBytes([Int64(11)]), major: 2)
        XCTAssertEqual(try NPY.read(path: dir.write("v2.npy", v2)).int64Scalars, [11])
    }

    func testUnsupportedDTypeIsAnError() {
        for descr in ["<c8", "<U3", "|O", "<f2", "<u8"] {
            let path = dir.write("bad.npy", npy(descr: descr, shape: "(1,)", data: [UInt8](repeating: 0, count: 16)))
            assertDataError(try NPY.read(path: path), kind: .unsupported, at: .byteOffset(10), mentions: ["bad.npy", "'\(descr)' is not supported"])
        }
        var structured = npy(descr: "<f4", shape: "(1,)", data: [0, 0, 0, 0])
        let text = "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"
        structured.replaceSubrange(10..<10 + text.utf8.count, with: Array(text.utf8))
        assertDataError(try NPY.read(path: dir.write("rec.npy", structured)), kind: .unsupported, mentions: ["structured"])
    }

    func testFortranOrderIsAnError() {
        let path = dir.write("fortran.npy", npy(descr: "<f4", fortran: true, shape: "(2, 2)", data: [UInt8](repeating: 0, count: 16)))
        assertDataError(try NPY.read(path: path), kind: .unsupported, at: .byteOffset(10), mentions: ["Fortran"])
    }

    func testBadMagicAndVersion() {
        assertDataError(try NPY.read(path: dir.write("magic.npy", Array("PK\u{3}\u{4} this is a zip".utf8))), kind: .malformed,
                        at: .byteOffset(0), mentions: ["not an .npy file"])
        var v9 = npy(descr: "<f4", shape: "(1,)", data: [0, 0, 0, 0])
        v9[6] = 9
        assertDataError(try NPY.read(path: dir.write("v9.npy", v9)), kind: .unsupported, at: .byteOffset(6), mentions: ["version 9.0"])
    }

    func testDataLengthMustMatchTheHeader() {
        let good = npy(descr: "<f4", shape: "(2, 3)", data: [UInt8](repeating: 0, count: 24))
        let dataStart = good.count - 24
        XCTAssertEqual(dataStart % 64, 0)
        let truncated = Array(good.dropLast(5))
        assertDataError(try NPY.read(path: dir.write("short.npy", truncated)), kind: .malformed,
                        at: .byteOffset(truncated.count), mentions: ["truncated", "needs 24 data bytes from byte \(dataStart)", "has 19"])
        let extra = good + [1, 2, 3]
        assertDataError(try NPY.read(path: dir.write("long.npy", extra)), kind: .malformed,
                        at: .byteOffset(dataStart + 24), mentions: ["3 unexpected bytes"])
        let cut = Array(good[0..<30])
        assertDataError(try NPY.read(path: dir.write("cut.npy", cut)), kind: .malformed, at: .byteOffset(8), mentions: ["header length"])
    }

    func testMalformedHeadersAndHugeShapes() {
        let missing = npy(descr: "<f4", shape: "(1,)", data: [0, 0, 0, 0])
        var noShape = missing
        let text = Array("{'descr': '<f4', 'fortran_order': False}".utf8)
        noShape.replaceSubrange(10..<10 + text.count, with: text)
        for i in 10 + text.count..<63 { noShape[i] = UInt8(ascii: " ") }
        assertDataError(try NPY.read(path: dir.write("noshape.npy", noShape)), kind: .malformed, mentions: ["no 'shape'"])
        let huge = npy(descr: "<f8", shape: "(4611686018427387904, 4)", data: [])
        assertDataError(try NPY.read(path: dir.write("huge.npy", huge)), kind: .malformed, mentions: ["too large"])
        let garbage = npy(descr: "<f4", shape: "(a, b)", data: [])
        assertDataError(try NPY.read(path: dir.write("garbage.npy", garbage)), kind: .malformed, mentions: ["bad .npy header"])
    }

    func testMissingFile() {
        assertDataError(try NPY.read(path: dir.file("absent.npy")), kind: .unreadable, mentions: ["absent.npy", "No such file"])
    }
}
