import XCTest
@testable import LightningInterop

/// The restricted unpickler on hand-made pickles: memo bombs, deep or self-referencing nesting,
/// and refused globals end in errors, never a crash or a blow-up.
final class UnpicklerTests: XCTestCase {
    func load(_ bytes: [UInt8]) throws -> PickleValue {
        var unpickler = Unpickler(bytes)
        return try unpickler.load { _ in throw TorchFormatError("no storages here") }
    }

    func message(_ bytes: [UInt8]) -> String {
        do {
            return "read: \(try load(bytes))"
        } catch {
            return "\(error)"
        }
    }

    func testPlainValuesRoundTrip() throws {
        // {'a': [1, -2, 300000, 2**40], 'b': (True, None, 1.5), 'c': b'xy'} at protocol 2, by hand.
        var p: [UInt8] = [0x80, 2, 0x7D, 0x28]
        p += [0x58, 1, 0, 0, 0, 0x61, 0x5D, 0x28, 0x4B, 1, 0x4A] + [0xFE, 0xFF, 0xFF, 0xFF] + [0x4A, 0xE0, 0x93, 0x04, 0x00]
        p += [0x8A, 6, 0, 0, 0, 0, 0, 1, 0x65]
        p += [0x58, 1, 0, 0, 0, 0x62, 0x88, 0x4E, 0x47, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0, 0x87]
        p += [0x58, 1, 0, 0, 0, 0x63, 0x43, 2, 0x78, 0x79, 0x75, 0x2E]
        let value = try load(p)
        XCTAssertEqual(value["a"], .list([.int(1), .int(-2), .int(300_000), .int(1 << 40)]))
        XCTAssertEqual(value["b"], .tuple([.bool(true), .none, .float(1.5)]))
        XCTAssertEqual(value["c"], .bytes([0x78, 0x79]))
    }

    func testMemoBombStopsAtTheBudget() {
        // x = []; then 40 times: x = [x, x, x, x] through BINPUT/BINGET: 4**40 nodes if expanded.
        var p: [UInt8] = [0x80, 2, 0x5D, 0x71, 0]
        for _ in 0..<40 { p += [0x28, 0x68, 0, 0x68, 0, 0x68, 0, 0x68, 0, 0x6C, 0x71, 0] }
        p += [0x2E]
        // Each step leaves the previous list on the stack too; keep only the last.
        XCTAssertTrue(message(p).contains("values on its stack") || message(p).contains("more values than its size allows"), message(p))
        var q: [UInt8] = [0x80, 2, 0x5D, 0x71, 0]
        for _ in 0..<40 { q += [0x30, 0x28, 0x68, 0, 0x68, 0, 0x68, 0, 0x68, 0, 0x6C, 0x71, 0] }
        q += [0x2E]
        XCTAssertTrue(message(q).contains("more values than its size allows"), message(q))
    }

    func testDeepAndSelfReferencingNestingAreRefused() {
        let deep: [UInt8] = [0x80, 2] + [UInt8](repeating: 0x5D, count: 5_000) + [UInt8](repeating: 0x61, count: 4_999) + [0x2E]
        XCTAssertTrue(message(deep).contains("too deeply"), message(deep))
        let itself: [UInt8] = [0x80, 2, 0x5D, 0x71, 0, 0x68, 0, 0x61, 0x2E]
        XCTAssertTrue(message(itself).contains("too deeply"), message(itself))
    }

    func testGlobalsOutsideTheAllowListAreRefusedByName() {
        for (module, name) in [("os", "system"), ("posix", "system"), ("builtins", "eval"), ("subprocess", "Popen"), ("torch", "load")] {
            let line = Array("\(module)\n\(name)\n".utf8)
            let p: [UInt8] = [0x80, 2, 0x63] + line + [0x58, 2, 0, 0, 0, 0x69, 0x64, 0x85, 0x52, 0x2E]
            XCTAssertTrue(message(p).contains("refuses global '\(module).\(name)'"), message(p))
        }
        // STACK_GLOBAL too.
        let stacked: [UInt8] = [0x80, 4, 0x8C, 5] + Array("posix".utf8) + [0x8C, 6] + Array("system".utf8) + [0x93, 0x2E]
        XCTAssertTrue(message(stacked).contains("refuses global 'posix.system'"), message(stacked))
        // An allowed value-only global cannot be called.
        let called: [UInt8] = [0x80, 2, 0x63] + Array("torch\nFloatStorage\n".utf8) + [0x29, 0x52, 0x2E]
        XCTAssertTrue(message(called).contains("may not be called"), message(called))
    }

    func testTruncatedAndOversizedFieldsAreErrors() {
        XCTAssertTrue(message([0x80, 2, 0x58, 0xFF, 0xFF, 0xFF, 0x7F]).contains("past the end"))
        XCTAssertTrue(message([0x80, 2, 0x5D]).contains("without STOP"))
        XCTAssertTrue(message([0x80, 2, 0x68, 9, 0x2E]).contains("never stored"))
        XCTAssertTrue(message([0x80, 2, 0x61, 0x2E]).contains("underflow"))
        XCTAssertTrue(message([0x80, 2, 0x8A, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x2E]).contains("64 bits"))
    }
}
