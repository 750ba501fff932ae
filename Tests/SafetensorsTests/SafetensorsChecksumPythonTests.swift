import LightningTestSupport
import Safetensors
import XCTest

/// A file with checksums is still a plain safetensors file to the reference reader, and its
/// recorded CRC-32Cs are those a Python implementation of the standard computes.
final class SafetensorsChecksumPythonTests: XCTestCase {
    private lazy var directory = makeTemporaryDirectory(prefix: "safetensors-checksum-python")

    func testReferenceReaderLoadsAChecksummedFileAndAgreesWithItsChecksums() throws {
        try skipUnlessPython(modules: ["safetensors", "numpy"])
        let path = directory.file("checked.safetensors")
        try SafetensorsWriter.write(try SafetensorsTensor.sampleState(), metadata: ["epoch": "3"], checksums: true, to: path)
        let result = try runPython("""
            import sys, json
            from safetensors import safe_open
            def crc32c(data):
                # Bit at a time from the definition (RFC 3720 B.4): reflected 0x82F63B78.
                c = 0xFFFFFFFF
                for byte in data:
                    c ^= byte
                    for _ in range(8):
                        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
                return c ^ 0xFFFFFFFF
            with safe_open(sys.argv[1], framework="numpy") as f:
                recorded = json.loads(f.metadata()["\(SafetensorsHeader.checksumKey)"])
                assert f.metadata()["epoch"] == "3"
                for name in f.keys():
                    computed = "%08x" % crc32c(f.get_tensor(name).tobytes())
                    assert recorded[name] == computed, (name, recorded[name], computed)
                assert sorted(recorded) == sorted(f.keys())
            print("ok")
            """, [path])
        XCTAssertEqual(result.stdout, "ok\n", result.stderr)
    }
}
