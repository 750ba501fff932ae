import Foundation
import XCTest
@testable import TensorBoardEvents

/// Event files re-read in Swift: framing, the version event, scalars, naming and buffering.
final class EventFileWriterTests: XCTestCase {
    func testFirstEventIsTheFileVersion() throws {
        let writer = try EventFileWriter(logDirectory: try temporaryLogDirectory())
        let events = try EventFileReading.events(atPath: writer.path)
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events[0].fileVersion, "brain.Event:2")
        XCTAssertEqual(events[0].wallTime, Date().timeIntervalSince1970, accuracy: 60)
    }

    func testScalarsKeepTagsStepsValuesAndWallTimes() throws {
        let writer = try EventFileWriter(logDirectory: try temporaryLogDirectory())
        try writer.addScalar(tag: "train/loss", value: 0.5, step: 1, wallTime: 1000.25)
        try writer.addScalar(tag: "train/loss", value: 0.25, step: 2, wallTime: 1001.5)
        try writer.addScalar(tag: "val/acc", value: 0.875, step: 2)
        try writer.close()

        let scalars = try EventFileReading.events(atPath: writer.path).dropFirst()
        XCTAssertEqual(scalars.map { $0.summary.value[0].tag }, ["train/loss", "train/loss", "val/acc"])
        XCTAssertEqual(scalars.map(\.step), [1, 2, 2])
        XCTAssertEqual(scalars.map { $0.summary.value[0].simpleValue }, [0.5, 0.25, 0.875])
        XCTAssertEqual(scalars.map(\.wallTime).prefix(2), [1000.25, 1001.5])
    }

    func testFileNameFollowsTensorBoardPattern() throws {
        let directory = try temporaryLogDirectory()
        let first = try EventFileWriter(logDirectory: directory, filenameSuffix: ".v2")
        let second = try EventFileWriter(logDirectory: directory + "/")
        let name = URL(fileURLWithPath: first.path).lastPathComponent
        let pattern = #"^events\.out\.tfevents\.\d{10}\.[^/]+\.\#(getpid())\.\d+\.v2$"#
        XCTAssertNotNil(name.range(of: pattern, options: .regularExpression), name)
        XCTAssertEqual(URL(fileURLWithPath: second.path).deletingLastPathComponent().path, directory)
        let firstIndex = Int(first.path.split(separator: ".").dropLast().last ?? "")
        let secondIndex = Int(second.path.split(separator: ".").last ?? "")
        XCTAssertEqual(secondIndex, firstIndex.map { $0 + 1 }, "a per-process counter separates writers")
        XCTAssertEqual(EventFileName.make(unixTime: 12.9, hostname: "h", processID: 7, index: 3, suffix: ""),
                       "events.out.tfevents.0000000012.h.7.3")
    }

    func testEventsAreBufferedUntilFlush() throws {
        let writer = try EventFileWriter(logDirectory: try temporaryLogDirectory())
        try writer.addScalar(tag: "loss", value: 1, step: 0)
        XCTAssertEqual(try EventFileReading.events(atPath: writer.path).count, 1)
        try writer.flush()
        XCTAssertEqual(try EventFileReading.events(atPath: writer.path).count, 2)
    }

    func testLargeBufferIsWrittenWithoutFlush() throws {
        let writer = try EventFileWriter(logDirectory: try temporaryLogDirectory())
        let tag = String(repeating: "t", count: 1000)
        let count = EventFileWriter.autoFlushByteCount / 1000 + 1
        for step in 0..<count { try writer.addScalar(tag: tag, value: 1, step: step) }
        XCTAssertGreaterThan(try EventFileReading.events(atPath: writer.path).count, 1)
        try writer.flush()
        XCTAssertEqual(try EventFileReading.events(atPath: writer.path).count, 1 + count)
    }

    func testCreatesMissingLogDirectories() throws {
        let directory = try temporaryLogDirectory() + "/lightning_logs/version_0"
        let writer = try EventFileWriter(logDirectory: directory)
        XCTAssertTrue(writer.path.hasPrefix(directory + "/events.out.tfevents."))
    }
}
