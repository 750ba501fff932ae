import Foundation
import SwiftProtobuf
import XCTest
@testable import TensorBoardEvents

/// Histogram events re-read in Swift with the generated protobuf types.
final class HistogramEventTests: XCTestCase {
    /// Values spread unevenly over a range, with repeats and both signs.
    private let values: [Float] = (0..<97).map { Float(($0 * 37) % 53) * 0.125 - 2.5 }

    func testHistogramKeepsStatisticsAndBucketsEveryValueOnce() throws {
        let writer = try EventFileWriter(logDirectory: try temporaryLogDirectory())
        try writer.addHistogram(tag: "weights/layer.0.weight", values: values, step: 7, wallTime: 50)
        try writer.close()
        let events = try EventFileReading.events(atPath: writer.path).dropFirst()
        XCTAssertEqual(events.count, 1)
        let event = try XCTUnwrap(events.first)
        XCTAssertEqual(event.step, 7)
        XCTAssertEqual(event.wallTime, 50)
        XCTAssertEqual(event.summary.value.map(\.tag), ["weights/layer.0.weight"])
        guard case .histo(let histogram)? = event.summary.value.first?.value else { return XCTFail("not a histogram: \(event)") }

        let doubles = values.map(Double.init)
        XCTAssertEqual(histogram.min, doubles.min())
        XCTAssertEqual(histogram.max, doubles.max())
        XCTAssertEqual(histogram.num, Double(values.count))
        XCTAssertEqual(histogram.sum, doubles.reduce(0, +), accuracy: 1e-9)
        XCTAssertEqual(histogram.sumSquares, doubles.reduce(0) { $0 + $1 * $1 }, accuracy: 1e-9)
        XCTAssertEqual(histogram.bucketLimit.count, HistogramBuckets.defaultBucketCount)
        XCTAssertEqual(histogram.bucket.count, histogram.bucketLimit.count)
        XCTAssertEqual(histogram.bucketLimit.last, histogram.max)
        XCTAssertEqual(histogram.bucketLimit, histogram.bucketLimit.sorted())
        // Bucket i holds the values in (limit[i-1], limit[i]], the first also the minimum.
        for (index, limit) in histogram.bucketLimit.enumerated() {
            let lower = index == 0 ? -Double.infinity : histogram.bucketLimit[index - 1]
            let expected = doubles.filter { $0 > lower && $0 <= limit }.count
            XCTAssertEqual(histogram.bucket[index], Double(expected), "bucket \(index) up to \(limit)")
        }
        // Equal widths over [min, max].
        let width = (histogram.max - histogram.min) / Double(histogram.bucketLimit.count)
        for (index, limit) in histogram.bucketLimit.enumerated() {
            XCTAssertEqual(limit, histogram.min + Double(index + 1) * width, accuracy: 1e-12)
        }
    }

    func testEqualValuesMakeOneBucket() throws {
        let buckets = try XCTUnwrap(HistogramBuckets([0.5, 0.5, 0.5]))
        XCTAssertEqual(buckets.limits, [0.5])
        XCTAssertEqual(buckets.counts, [3])
        XCTAssertEqual(buckets.min, 0.5)
        XCTAssertEqual(buckets.max, 0.5)
    }

    func testNonFiniteValuesAreLeftOutAndNoneFiniteWritesNothing() throws {
        let buckets = try XCTUnwrap(HistogramBuckets([1, .nan, .infinity, 2, -.infinity], bucketCount: 4))
        XCTAssertEqual(buckets.count, 2)
        XCTAssertEqual(buckets.counts.reduce(0, +), 2)
        XCTAssertNil(HistogramBuckets([.nan]))
        XCTAssertNil(HistogramBuckets([]))

        let writer = try EventFileWriter(logDirectory: try temporaryLogDirectory())
        try writer.addHistogram(tag: "gradients/w", values: [.nan, .nan], step: 0)
        try writer.close()
        XCTAssertEqual(try EventFileReading.events(atPath: writer.path).count, 1, "only the file version event")
    }

    /// TensorBoard's numbers: `Summary.Value.histo` is field 5, HistogramProto's doubles are
    /// fields 1 to 5 and its bucket arrays packed fields 6 and 7.
    func testWireFormatUsesTensorBoardsFieldNumbers() throws {
        var histogram = Tensorboard_HistogramProto()
        histogram.min = 1
        histogram.bucketLimit = [2]
        histogram.bucket = [3]
        let bytes: [UInt8] = try histogram.serializedBytes()
        // Tag bytes: (field << 3) | wire type, 1 for 64-bit, 2 for length-delimited.
        XCTAssertEqual(bytes.first, 1 << 3 | 1)
        XCTAssertEqual(bytes[9], 6 << 3 | 2)
        XCTAssertEqual(bytes[10], 8, "one packed double")
        XCTAssertEqual(bytes[19], 7 << 3 | 2)
        var value = Tensorboard_Summary.Value()
        value.histo = histogram
        let valueBytes: [UInt8] = try value.serializedBytes()
        XCTAssertEqual(valueBytes.first, 5 << 3 | 2)
        XCTAssertEqual(try Tensorboard_Summary.Value(serializedBytes: valueBytes), value)
    }
}
