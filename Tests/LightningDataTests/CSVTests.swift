import LightningTestSupport
import XCTest
@testable import LightningData

final class CSVTests: XCTestCase {
    lazy var dir = makeTemporaryDirectory()

    func testHeaderAndLabelColumnByName() throws {
        let path = dir.write("a.csv", text: "x0,label,x1\n1.5,2,-3\n4,0,5e-1\n")
        let table = try CSV.read(path: path, labelColumn: .name("label"))
        XCTAssertEqual(table.featureNames, ["x0", "x1"])
        XCTAssertEqual(table.labelName, "label")
        XCTAssertEqual(table.rowCount, 2)
        XCTAssertEqual(table.features.shape, [2, 2])
        XCTAssertEqual(table.features.scalars, [1.5, -3, 4, 0.5])
        XCTAssertEqual(table.labels?.dtype, .int64)
        XCTAssertEqual(table.labels?.int64Scalars, [2, 0])
        let (x, y) = table.labeledDataset()[1]
        XCTAssertEqual(x.scalars, [4, 0.5])
        XCTAssertEqual(y.int64Scalars, [0])
    }

    func testLabelColumnByIndexIncludingNegative() throws {
        let path = dir.write("b.csv", text: "a,b,c\n1,2,3\n4,5,6\n")
        XCTAssertEqual(try CSV.read(path: path, labelColumn: .index(-1)).labels?.int64Scalars, [3, 6])
        XCTAssertEqual(try CSV.read(path: path, labelColumn: .index(0)).labels?.int64Scalars, [1, 4])
        XCTAssertEqual(try CSV.read(path: path, labelColumn: .index(0)).features.scalars, [2, 3, 5, 6])
    }

    func testAllNumericColumnsWithoutLabelOrHeader() throws {
        let path = dir.write("c.csv", text: "1,2\n3,4\n5,6")
        let table = try CSV.read(path: path, hasHeader: false)
        XCTAssertNil(table.labels)
        XCTAssertEqual(table.featureNames, ["column0", "column1"])
        XCTAssertEqual(table.features.shape, [3, 2])
        XCTAssertEqual(table.featureDataset()[2].scalars, [5, 6])
    }

    func testFloatLabelsForRegression() throws {
        let path = dir.write("d.csv", text: "x,y\n1,0.25\n2,-1.5\n")
        let table = try CSV.read(path: path, labelColumn: .name("y"), labelType: .float32)
        XCTAssertEqual(table.labels?.dtype, .float32)
        XCTAssertEqual(table.labels?.scalars, [0.25, -1.5])
    }

    func testCRLFBlankLinesQuotesSpacesAndOtherDelimiters() throws {
        let path = dir.write("e.csv", text: "\"x\";\"y\"\r\n\r\n 1 ; \"2\"\r\n\n3;4\r\n\n")
        let table = try CSV.read(path: path, labelColumn: .name("y"), delimiter: ";")
        XCTAssertEqual(table.featureNames, ["x"])
        XCTAssertEqual(table.features.scalars, [1, 3])
        XCTAssertEqual(table.labels?.int64Scalars, [2, 4])
    }

    func testHeaderOnlyGivesZeroRows() throws {
        let table = try CSV.read(path: dir.write("f.csv", text: "a,b\n"), labelColumn: .name("b"))
        XCTAssertEqual(table.features.shape, [0, 1])
        XCTAssertEqual(table.labels?.shape, [0])
    }

    func testRaggedRowNamesTheLine() {
        let path = dir.write("ragged.csv", text: "a,b,c\n1,2,3\n\n4,5\n")
        assertDataError(try CSV.read(path: path), kind: .malformed, at: .line(4),
                        mentions: ["ragged.csv:4", "2 fields", "header has 3"])
        let long = dir.write("long.csv", text: "1,2\n3,4,5\n")
        assertDataError(try CSV.read(path: long, hasHeader: false), kind: .malformed, at: .line(2), mentions: ["3 fields"])
    }

    func testNonNumericCellNamesLineAndField() {
        let path = dir.write("text.csv", text: "a,b,label\n1,2,3\n4,five,6\n")
        assertDataError(try CSV.read(path: path, labelColumn: .name("label")), kind: .malformed,
                        at: .field(line: 3, field: 2, name: "b"),
                        mentions: ["text.csv:3", "field 2 (\"b\")", "\"five\" is not a number"])
        let empty = dir.write("empty-cell.csv", text: "a,b\n1,\n")
        assertDataError(try CSV.read(path: empty), kind: .malformed, at: .field(line: 2, field: 2, name: "b"),
                        mentions: ["empty cell"])
        let partial = dir.write("partial.csv", text: "a\n12abc\n")
        assertDataError(try CSV.read(path: partial), kind: .malformed, at: .field(line: 2, field: 1, name: "a"))
        let noHeader = dir.write("nh.csv", text: "1,x\n")
        assertDataError(try CSV.read(path: noHeader, hasHeader: false), kind: .malformed, at: .field(line: 1, field: 2, name: nil))
    }

    func testFractionalLabelIsRejectedForInt64() {
        let path = dir.write("frac.csv", text: "x,label\n1,2.5\n")
        assertDataError(try CSV.read(path: path, labelColumn: .name("label")), kind: .malformed,
                        at: .field(line: 2, field: 2, name: "label"), mentions: ["not a whole number"])
        XCTAssertEqual(try CSV.read(path: dir.write("whole.csv", text: "x,label\n1,2.0\n"), labelColumn: .name("label")).labels?.int64Scalars, [2])
    }

    func testMissingLabelColumnAndBadIndex() {
        let path = dir.write("g.csv", text: "a,b\n1,2\n")
        assertDataError(try CSV.read(path: path, labelColumn: .name("target")), kind: .mismatch, at: .line(1),
                        mentions: ["no column named \"target\"", "a, b"])
        assertDataError(try CSV.read(path: path, labelColumn: .index(2)), kind: .mismatch, mentions: ["out of range"])
        assertDataError(try CSV.read(path: path, labelColumn: .name("a"), hasHeader: false), kind: .mismatch)
    }

    func testMissingEmptyAndUnterminatedFiles() {
        assertDataError(try CSV.read(path: dir.file("nope.csv")), kind: .unreadable,
                        mentions: ["nope.csv", "No such file or directory"])
        assertDataError(try CSV.read(path: dir.path), kind: .unreadable, mentions: ["directory"])
        assertDataError(try CSV.read(path: dir.write("empty.csv", text: "\n  \n")), kind: .malformed, mentions: ["empty"])
        assertDataError(try CSV.read(path: dir.write("quote.csv", text: "a\n\"1\n")), kind: .malformed,
                        at: .field(line: 2, field: 1, name: nil), mentions: ["unterminated"])
    }
}
