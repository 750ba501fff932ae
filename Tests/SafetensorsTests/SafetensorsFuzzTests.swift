import Foundation
import LightningTestSupport
import Safetensors
import XCTest

/// Mutates valid files thousands of times: decoding may throw, but must never crash, hang or
/// return tensors that disagree with the bytes they came from.
final class SafetensorsFuzzTests: XCTestCase {
    private lazy var directory = makeTemporaryDirectory(prefix: "safetensors-tests")

    /// A small deterministic generator (SplitMix64), so a failure reproduces from its iteration number.
    private struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    private func seeds() throws -> [[UInt8]] {
        [
            try SafetensorsWriter.encode(SafetensorsTensor.sampleState(), metadata: ["format": "pt", "epoch": "12"]),
            try SafetensorsWriter.encode(["w": try SafetensorsTensor.f32([2, 2], [1, 2, 3, 4]), "n": try .i64([1], [1])]),
            SafetensorsFixture.file(
                #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BOOL","shape":[3],"data_offsets":[4,7]},"#
                + #""d":{"dtype":"F64","shape":[1],"data_offsets":[7,15]}}"#,
                data: [0, 0x3C, 0, 0xC0, 1, 0, 1] + [UInt8](repeating: 0x3F, count: 8)),
        ]
    }

    /// One random edit of `bytes`, weighted toward the header where the parser lives.
    private func mutate(_ bytes: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var out = bytes
        let headerEnd = min(out.count, 8 + Int(out.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) } & 0xFFFF))
        func position() -> Int { rng.below(2) == 0 && headerEnd > 8 ? 8 + rng.below(headerEnd - 8) : rng.below(out.count) }
        switch rng.below(9) {
        case 0, 1: // flip a few bits
            for _ in 0...rng.below(4) where !out.isEmpty { out[position()] ^= UInt8(1) << UInt8(rng.below(8)) }
        case 2: // truncate
            out = Array(out.prefix(rng.below(out.count + 1)))
        case 3: // edit the header length: small shifts, random, huge
            let delta: [UInt64] = [1, 2, 7, 8, 9, 64]
            var n = out.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            switch rng.below(4) {
            case 0: n &+= delta[rng.below(delta.count)]
            case 1: n &-= delta[rng.below(delta.count)]
            case 2: n = UInt64(rng.below(out.count + 16))
            default: n = rng.next()
            }
            for i in 0..<min(8, out.count) { out[i] = UInt8(truncatingIfNeeded: n >> (8 * UInt64(i))) }
        case 4: // overwrite a byte with a JSON-significant character
            let specials = Array("{}[]\",:-0123456789e.\\ u".utf8) + [0x00, 0x80, 0xFF]
            if !out.isEmpty { out[position()] = specials[rng.below(specials.count)] }
        case 5: // delete a range
            if !out.isEmpty {
                let start = position(), length = 1 + rng.below(8)
                out.removeSubrange(start..<min(out.count, start + length))
            }
        case 6: // insert random bytes
            let at = out.isEmpty ? 0 : position()
            out.insert(contentsOf: (0..<(1 + rng.below(6))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
        case 7: // duplicate a slice of the header onto itself (repeated keys, nested structures)
            if headerEnd > 9 {
                let start = 8 + rng.below(headerEnd - 8), end = min(headerEnd, start + 1 + rng.below(24))
                out.insert(contentsOf: out[start..<end], at: 8 + rng.below(headerEnd - 8))
            }
        default: // append trailing bytes
            out += (0..<(1 + rng.below(9))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        }
        return out
    }

    /// Checks that a successful decode is self-consistent: tensors exactly fill the data section.
    private func checkConsistency(_ file: SafetensorsArchive, _ bytes: [UInt8], iteration: Int) {
        XCTAssertEqual(Set(file.names), Set(file.tensors.keys), "iteration \(iteration)")
        XCTAssertEqual(file.names.count, file.tensors.count, "iteration \(iteration)")
        var dataBytes = 0
        for name in file.names {
            guard let t = file.tensors[name] else { return XCTFail("iteration \(iteration)") }
            XCTAssertEqual(t.bytes.count, t.elementCount * t.dtype.byteSize, "iteration \(iteration)")
            dataBytes += t.bytes.count
        }
        let n = Int(bytes.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        XCTAssertEqual(8 + n + dataBytes, bytes.count, "iteration \(iteration): tensors cover the data exactly")
    }

    func testMutatedFilesNeverCrashTheDecoder() throws {
        var rng = SplitMix(state: 0x5AFE_7E45)
        let seeds = try seeds()
        var accepted = 0, rejected = 0
        for iteration in 0..<5000 {
            var bytes = seeds[iteration % seeds.count]
            for _ in 0...rng.below(3) { bytes = mutate(bytes, &rng) }
            do {
                let file = try SafetensorsArchive.decode(bytes: bytes)
                checkConsistency(file, bytes, iteration: iteration)
                accepted += 1
            } catch is SafetensorsError {
                rejected += 1
            } catch {
                XCTFail("iteration \(iteration): unexpected error type \(error)")
            }
        }
        print("safetensors fuzz: \(accepted) mutated files still valid, \(rejected) rejected with an error")
        XCTAssertGreaterThan(rejected, 1000, "most mutations should be caught")
        XCTAssertGreaterThan(accepted, 0, "some mutations (e.g. in tensor data) remain valid files")
    }

    func testMutatedFilesNeverCrashTheFileReader() throws {
        var rng = SplitMix(state: 0xF11E)
        let seeds = try seeds()
        let path = directory.file("t.safetensors")
        for iteration in 0..<400 {
            let bytes = mutate(seeds[iteration % seeds.count], &rng)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let fromFile = try SafetensorsArchive.read(path: path)
                let fromBytes = try SafetensorsArchive.decode(bytes: bytes)
                XCTAssertEqual(fromFile.names, fromBytes.names, "iteration \(iteration)")
                XCTAssertEqual(fromFile, fromBytes, "iteration \(iteration)")
            } catch let error as SafetensorsError {
                XCTAssertEqual(error.path, path, "iteration \(iteration): \(error)")
                // Reading and decoding agree on what is wrong.
                XCTAssertThrowsError(try SafetensorsArchive.decode(bytes: bytes), "iteration \(iteration)")
            }
        }
    }

    func testRandomBytesNeverCrashTheDecoder() {
        var rng = SplitMix(state: 42)
        for _ in 0..<2000 {
            let length = rng.below(64)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // A plausible small header length makes the parser see the random bytes.
            if bytes.count >= 8 { for i in 0..<8 { bytes[i] = i == 0 ? UInt8(rng.below(bytes.count - 7)) : 0 } }
            XCTAssertThrowsError(try SafetensorsArchive.decode(bytes: bytes)) { XCTAssertTrue($0 is SafetensorsError) }
        }
    }
}
