import Checksums
import Foundation
import LightningTestSupport
import Safetensors
import XCTest

/// Per-tensor CRC-32C in the metadata: written on request, verified on every read path.
final class SafetensorsChecksumTests: XCTestCase {
    private lazy var directory = makeTemporaryDirectory(prefix: "safetensors-checksum-tests")

    /// The sample state with checksums, as file bytes.
    private func checksummedFile() throws -> (tensors: [String: SafetensorsTensor], bytes: [UInt8]) {
        let tensors = try SafetensorsTensor.sampleState()
        return (tensors, try SafetensorsWriter.encode(tensors, metadata: ["epoch": "3"], checksums: true))
    }

    /// The error reading `bytes`, in memory and from a file, or nil when both succeed.
    private func readErrors(_ bytes: [UInt8]) -> [SafetensorsError] {
        var errors: [SafetensorsError] = []
        do { _ = try SafetensorsArchive.decode(bytes: bytes) } catch { errors.append(error as! SafetensorsError) }
        let path = directory.write("mutated.safetensors", bytes)
        do { _ = try SafetensorsArchive.read(path: path) } catch { errors.append(error as! SafetensorsError) }
        return errors
    }

    func testMetadataRecordsTheChecksumOfEachTensorsBytes() throws {
        let (tensors, bytes) = try checksummedFile()
        let stored = try SafetensorsFixture.metadata(in: bytes)
        XCTAssertEqual(stored["epoch"], "3")
        let json = try XCTUnwrap(stored[SafetensorsHeader.checksumKey])
        let map = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String])
        XCTAssertEqual(Set(map.keys), Set(tensors.keys))
        for (name, tensor) in tensors {
            XCTAssertEqual(map[name].flatMap { UInt32($0, radix: 16) }, CRC32C.checksum(tensor.bytes), name)
        }
        // Readers hand the checksums over separately, not as user metadata.
        let header = try bytes.withUnsafeBytes { try SafetensorsHeader(file: $0) }
        XCTAssertEqual(header.metadata, ["epoch": "3"])
        XCTAssertEqual(header.checksums, tensors.mapValues { CRC32C.checksum($0.bytes) })
        XCTAssertEqual(try SafetensorsArchive.decode(bytes: bytes).tensors, tensors)
    }

    func testWrittenFileEqualsTheEncodedBytes() throws {
        // The file path writes a placeholder header and the checksums over it afterwards.
        let (tensors, bytes) = try checksummedFile()
        let path = directory.file("written.safetensors")
        try SafetensorsWriter.write(tensors, metadata: ["epoch": "3"], checksums: true, to: path)
        XCTAssertEqual(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), bytes)
        XCTAssertEqual(try SafetensorsArchive.read(path: path).tensors, tensors)
    }

    /// A tensor large enough to be checked on a second thread while it is read (the reader's
    /// pipelined path): intact it reads back, damaged at its start, middle or last byte it is refused.
    func testLargeTensorsAreCheckedOnTheReadingPipeline() throws {
        let count = (SafetensorsReader.pipelinedMinimum + 3 * SafetensorsReader.checkedChunk + 5) / 4
        let big = try SafetensorsTensor(dtype: .f32, shape: [count], bytes: (0..<count * 4).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        let small = try SafetensorsTensor(dtype: .f32, shape: [2], bytes: [1, 2, 3, 4, 5, 6, 7, 8])
        let tensors = ["big": big, "small": small]
        let bytes = try SafetensorsWriter.encode(tensors, checksums: true)
        let path = directory.write("big.safetensors", bytes)
        XCTAssertEqual(try SafetensorsArchive.read(path: path).tensors, tensors)
        let range = try XCTUnwrap(try SafetensorsFixture.tensorRanges(in: bytes)["big"])
        for offset in [0, range.count / 2, range.count - 1] {
            var damaged = bytes
            damaged[range.lowerBound + offset] ^= 0x01
            let damagedPath = directory.write("big-damaged.safetensors", damaged)
            XCTAssertThrowsError(try SafetensorsArchive.read(path: damagedPath), "offset \(offset)") { error in
                guard let error = error as? SafetensorsError, case .checksumMismatch = error.problem else { return XCTFail("\(error)") }
                XCTAssertEqual(error.tensor, "big")
            }
        }
    }

    func testOneFlippedBitIsAnErrorNamingTheTensorAndFile() throws {
        let (_, bytes) = try checksummedFile()
        let range = try XCTUnwrap(try SafetensorsFixture.tensorRanges(in: bytes)["fc1.bias"])
        var damaged = bytes
        damaged[range.lowerBound + 5] ^= 0x10
        let errors = readErrors(damaged)
        XCTAssertEqual(errors.count, 2)
        for error in errors {
            guard case .checksumMismatch = error.problem else { return XCTFail("\(error)") }
            XCTAssertEqual(error.tensor, "fc1.bias")
        }
        XCTAssertTrue(errors[1].description.contains("mutated.safetensors"), errors[1].description)
    }

    func testEverySingleByteChangeInTheDataIsCaughtInItsTensor() throws {
        let (_, bytes) = try checksummedFile()
        let ranges = try SafetensorsFixture.tensorRanges(in: bytes)
        let dataStart = try XCTUnwrap(ranges.values.map(\.lowerBound).min())
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            // A CRC-32 detects every error burst of at most 32 bits, so any change to one byte.
            let at = Int.random(in: dataStart..<bytes.count, using: &rng)
            var damaged = bytes
            damaged[at] ^= UInt8.random(in: 1...255, using: &rng)
            let owner = try XCTUnwrap(ranges.first { $0.value.contains(at) }?.key)
            let errors = readErrors(damaged)
            XCTAssertEqual(errors.count, 2, "byte \(at)")
            for error in errors {
                guard case .checksumMismatch = error.problem else { return XCTFail("\(error)") }
                XCTAssertEqual(error.tensor, owner, "byte \(at)")
            }
        }
    }

    func testDamageInALargeTensorIsCaughtOnEitherThread() throws {
        // Large enough that readers checksum its halves on two threads: damage in each half.
        let count = 3 << 20
        let big = try SafetensorsTensor(dtype: .f32, shape: [count], bytes: (0..<(4 * count)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let bytes = try SafetensorsWriter.encode(["big": big, "small": try .f32([2], [1, 2])], checksums: true)
        let range = try XCTUnwrap(try SafetensorsFixture.tensorRanges(in: bytes)["big"])
        XCTAssertEqual(try SafetensorsArchive.decode(bytes: bytes)["big"], big)
        for at in [range.lowerBound, range.lowerBound + range.count / 2 - 1, range.lowerBound + range.count / 2, range.upperBound - 1] {
            var damaged = bytes
            damaged[at] ^= 0x80
            for error in readErrors(damaged) {
                guard case .checksumMismatch = error.problem else { return XCTFail("\(error)") }
                XCTAssertEqual(error.tensor, "big", "byte \(at)")
            }
        }
    }

    func testFilesWithoutChecksumsReadUnverified() throws {
        let tensors = try SafetensorsTensor.sampleState()
        let bytes = try SafetensorsWriter.encode(tensors, metadata: ["epoch": "3"])
        XCTAssertNil(try SafetensorsFixture.metadata(in: bytes)[SafetensorsHeader.checksumKey])
        let header = try bytes.withUnsafeBytes { try SafetensorsHeader(file: $0) }
        XCTAssertEqual(header.checksums, [:])
        XCTAssertEqual(try SafetensorsArchive.decode(bytes: bytes).tensors, tensors)
    }

    func testAChecksumPassedInMetadataIsNeverWrittenStale() throws {
        let tensors = try SafetensorsTensor.sampleState()
        let stale = [SafetensorsHeader.checksumKey: "{\"scale\":\"00000000\"}"]
        let without = try SafetensorsWriter.encode(tensors, metadata: stale)
        XCTAssertNil(try SafetensorsFixture.metadata(in: without)[SafetensorsHeader.checksumKey])
        let with = try SafetensorsWriter.encode(tensors, metadata: stale, checksums: true)
        XCTAssertEqual(try SafetensorsArchive.decode(bytes: with).tensors, tensors)
    }

    func testMalformedChecksumMetadataIsRefused() throws {
        let data = SafetensorsFixture.floatBytes([1, 2])
        for value in ["not json", "[]", "{\"w\":\"123\"}", "{\"w\":\"zzzzzzzz\"}", "{}", "{\"w\":\"00000000\",\"v\":\"00000000\"}"] {
            var escaped = ""
            for c in value { escaped += c == "\"" ? "\\\"" : String(c) }
            let header = "{\"__metadata__\":{\"\(SafetensorsHeader.checksumKey)\":\"\(escaped)\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"
            XCTAssertThrowsError(try SafetensorsArchive.decode(bytes: SafetensorsFixture.file(header, data: data)), value) { error in
                guard case .invalidMetadata = (error as? SafetensorsError)?.problem else { return XCTFail("\(value): \(error)") }
            }
        }
    }
}
