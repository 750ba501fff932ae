import LightningTestSupport
import XCTest
@testable import LightningData

/// Builds IDX bytes: magic `0x0000TTDD`, big-endian dimensions, then `data`.
private func idx(type: UInt8, dims: [Int], data: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, type, UInt8(dims.count)]
    for d in dims { bytes += withUnsafeBytes(of: UInt32(d).bigEndian) { Array($0) } }
    return bytes + data
}

final class IDXTests: XCTestCase {
    lazy var dir = makeTemporaryDirectory()

    func testMNISTImagesAndLabels() throws {
        let images = dir.write("images-idx3-ubyte", idx(type: 0x08, dims: [2, 2, 3], data: [0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 255]))
        let labels = dir.write("labels-idx1-ubyte", idx(type: 0x08, dims: [2], data: [7, 2]))
        let x = try IDX.readImages(path: images)
        XCTAssertEqual(x.shape, [2, 2, 3])
        XCTAssertEqual(x.dtype, .float32)
        XCTAssertEqual(x.scalars[0...5].map { ($0 * 5).rounded() }, [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(x.scalars.max(), 1)
        let y = try IDX.readLabels(path: labels)
        XCTAssertEqual(y.dtype, .int64)
        XCTAssertEqual(y.int64Scalars, [7, 2])
        let ds = try IDX.dataset(images: images, labels: labels)
        XCTAssertEqual(ds.count, 2)
        XCTAssertEqual(ds[1].1.int64Scalars, [2])
        XCTAssertEqual(ds[1].0.shape, [2, 3])
    }

    func testGenericReadOfOtherElementTypes() throws {
        let shorts = [Int16(-2), 300].flatMap { v in withUnsafeBytes(of: v.bigEndian) { Array($0) } }
        XCTAssertEqual(try IDX.read(path: dir.write("s", idx(type: 0x0B, dims: [2], data: shorts))).int64Scalars, [-2, 300])
        let ints = [Int32(-70000)].flatMap { v in withUnsafeBytes(of: v.bigEndian) { Array($0) } }
        XCTAssertEqual(try IDX.read(path: dir.write("i", idx(type: 0x0C, dims: [1, 1], data: ints))).int64Scalars, [-70000])
        let floats = [Float(0.5), -1].flatMap { v in withUnsafeBytes(of: v.bitPattern.bigEndian) { Array($0) } }
        let f = try IDX.read(path: dir.write("f", idx(type: 0x0D, dims: [2], data: floats)))
        XCTAssertEqual(f.dtype, .float32)
        XCTAssertEqual(f.scalars, [0.5, -1])
        let doubles = [2.25].flatMap { v in withUnsafeBytes(of: v.bitPattern.bigEndian) { Array($0) } }
        XCTAssertEqual(try IDX.read(path: dir.write("d", idx(type: 0x0E, dims: [1], data: doubles))).scalars, [2.25])
        XCTAssertEqual(try IDX.read(path: dir.write("b", idx(type: 0x09, dims: [2], data: [0xFF, 3]))).int64Scalars, [-1, 3])
        XCTAssertEqual(try IDX.read(path: dir.write("u", idx(type: 0x08, dims: [1], data: [9])), as: .float32).scalars, [9])
    }

    func testWrongMagicNumber() {
        let gz = dir.write("train.gz", [0x1F, 0x8B, 0x08, 0x00, 1, 2, 3, 4])
        assertDataError(try IDX.read(path: gz), kind: .malformed, at: .byteOffset(0), mentions: ["wrong magic number 0x1f8b0800", "gzip"])
        let type = dir.write("type", idx(type: 0x07, dims: [1], data: [0]))
        assertDataError(try IDX.read(path: type), kind: .malformed, at: .byteOffset(2), mentions: ["unknown element type 0x7"])
        let zeroDims = dir.write("zero", [0, 0, 8, 0])
        assertDataError(try IDX.read(path: zeroDims), kind: .malformed, at: .byteOffset(3), mentions: ["zero dimensions"])
        assertDataError(try IDX.read(path: dir.write("tiny", [0, 0])), kind: .malformed, at: .byteOffset(0), mentions: ["too short"])
    }

    func testLabelFileIsNotAnImageFile() {
        let labels = dir.write("labels", idx(type: 0x08, dims: [2], data: [1, 2]))
        assertDataError(try IDX.readImages(path: labels), kind: .malformed, at: .byteOffset(0),
                        mentions: ["magic number 0x00000801", "0x00000803"])
        let images = dir.write("images", idx(type: 0x08, dims: [1, 1, 1], data: [1]))
        assertDataError(try IDX.readLabels(path: images), kind: .malformed, at: .byteOffset(0), mentions: ["0x00000801"])
    }

    func testLengthMustMatchTheHeader() {
        let short = dir.write("short", idx(type: 0x08, dims: [3, 2, 2], data: [UInt8](repeating: 0, count: 11)))
        assertDataError(try IDX.readImages(path: short), kind: .malformed, at: .byteOffset(16 + 11),
                        mentions: ["need 12 data bytes from byte 16", "has 11"])
        let long = dir.write("long", idx(type: 0x08, dims: [2], data: [1, 2, 3]))
        assertDataError(try IDX.readLabels(path: long), kind: .malformed, at: .byteOffset(8 + 2), mentions: ["has 3"])
        let header = dir.write("header", [0, 0, 8, 3, 0, 0, 0, 1])
        assertDataError(try IDX.read(path: header), kind: .malformed, at: .byteOffset(8), mentions: ["truncated header"])
        let huge = dir.write("huge", [0, 0, 0x0E, 4] + [UInt8](repeating: 0xFF, count: 16))
        assertDataError(try IDX.read(path: huge), kind: .malformed, mentions: ["too large"])
    }

    func testImageAndLabelCountsMustAgree() {
        let images = dir.write("im", idx(type: 0x08, dims: [3, 1, 1], data: [1, 2, 3]))
        let labels = dir.write("lb", idx(type: 0x08, dims: [2], data: [1, 2]))
        assertDataError(try IDX.dataset(images: images, labels: labels), kind: .mismatch, mentions: ["2 labels", "3 images"])
    }

    func testMissingFile() {
        assertDataError(try IDX.readImages(path: dir.file("t10k-images-idx3-ubyte")), kind: .unreadable, mentions: ["t10k-images-idx3-ubyte"])
    }
}
