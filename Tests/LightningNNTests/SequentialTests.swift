import XCTest
@testable import LightningNN

final class SequentialTests: XCTestCase {
    func testAppliesLayersInOrder() {
        let log = LogBox()
        let seq = Sequential(Recorder("a", log), Recorder("b", log), Recorder("c", log))
        let y = seq(Tensor([0, 10] as [Float]))
        XCTAssertEqual(log.entries, ["a", "b", "c"])
        XCTAssertEqual(y.scalars, [3, 13])
    }

    func testForwardComposesRealComputation() {
        let seq = Sequential(Affine(2, start: 2), Affine(2, start: 3))
        seq[0].namedParameters()[1].parameter.value.withUnsafeMutableBufferPointer { $0[0] = 1 }  // bias
        // ((x * [2, 3]) + [1, 0]) * [3, 4]
        XCTAssertEqual(seq(Tensor([1, 1] as [Float])).scalars, [9, 12])
    }

    func testResultBuilderWithConditionsAndLoops() {
        let log = LogBox()
        let useExtra = true, useOther = false
        let seq = Sequential {
            Recorder("first", log)
            if useExtra { Recorder("extra", log) }
            if useOther { Recorder("other", log) } else { Recorder("else", log) }
            for i in 0..<2 { Recorder("loop\(i)", log) }
            [Recorder("array", log)]
        }
        XCTAssertEqual(seq.count, 6)
        _ = seq(Tensor([0] as [Float]))
        XCTAssertEqual(log.entries, ["first", "extra", "else", "loop0", "loop1", "array"])
        XCTAssertEqual(names(seq.namedChildren()), ["0", "1", "2", "3", "4", "5"])
    }

    func testArrayInitAndAppend() {
        let seq = Sequential([Affine(1)])
        seq.append(Affine(1, bias: false))
        XCTAssertEqual(names(seq.namedParameters()), ["0.weight", "0.bias", "1.weight"])
        XCTAssertEqual(Sequential().count, 0)
        XCTAssertEqual(Sequential()(Tensor([5] as [Float])).scalars, [5], "an empty Sequential is the identity")
    }
}
