import LightningTestSupport
import XCTest
@testable import LightningNN

/// The model stored in `Fixtures/reference_state.safetensors`, written by Python's reference
/// writer (`safetensors.numpy.save_file`) with PyTorch's key names.
final class FixtureModel: Module {
    let encoder = Affine(3)
    let norm = Normalizer()
    let head = Sequential(Affine(2, bias: false))
}

final class StateDictTests: XCTestCase {
    private lazy var directory = makeTemporaryDirectory(prefix: "nn-tests")
    private var modelPath: String { directory.file("model.safetensors") }

    func testStateDictHoldsParametersAndPersistentBuffersInModuleOrder() {
        let model = FixtureModel()
        XCTAssertEqual(names(model.namedStateDict()), [
            "encoder.weight", "encoder.bias",
            "norm.weight", "norm.running_mean", "norm.num_batches_tracked",
            "head.0.weight",
        ])
        let state = model.stateDict()
        XCTAssertEqual(state["norm.num_batches_tracked"]?.dtype, .int64)
        XCTAssertEqual(state["encoder.weight"]?.scalars, [1, 2, 3])
        XCTAssertFalse(state["encoder.weight"]!.requiresGrad, "state dict tensors are detached")
        XCTAssertTrue(state["encoder.weight"]!.sharesElements(with: model.encoder.weight.value), "views, as in PyTorch")
    }

    func testLoadCopiesIntoTheExistingStorage() throws {
        let source = FixtureModel(), target = FixtureModel()
        source.encoder.weight.value.withUnsafeMutableBufferPointer { $0[0] = 42 }
        source.norm.numBatchesTracked.value.withUnsafeMutableInt64BufferPointer { $0[0] = 9 }
        let weight = target.encoder.weight
        let storage = weight.value.storage
        let bufferStorage = target.norm.runningMean.value.storage
        let result = try target.loadStateDict(source.stateDict())
        XCTAssertEqual(result, StateDictLoadResult(missingKeys: [], unexpectedKeys: []))
        XCTAssertTrue(target.encoder.weight === weight, "same Parameter object")
        XCTAssertTrue(target.encoder.weight.value.storage === storage, "same storage: an optimizer holding it sees the values")
        XCTAssertTrue(target.norm.runningMean.value.storage === bufferStorage)
        XCTAssertTrue(target.encoder.weight.value.requiresGrad)
        XCTAssertEqual(target.encoder.weight.value.scalars, [42, 2, 3])
        XCTAssertEqual(target.norm.numBatchesTracked.value.int64Scalars, [9])
        XCTAssertFalse(target.encoder.weight.value.sharesElements(with: source.encoder.weight.value))
    }

    func testStrictLoadListsMissingAndUnexpectedKeys() {
        let model = FixtureModel()
        var state = model.stateDict().mapValues { $0.copied() }
        state["encoder.bias"] = nil
        state["norm.running_var"] = nil
        state["decoder.weight"] = Tensor([1] as [Float])
        state["extra"] = Tensor([2] as [Float])
        XCTAssertThrowsError(try model.loadStateDict(state)) { error in
            guard let error = error as? StateDictError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.missingKeys, ["encoder.bias"])
            XCTAssertEqual(error.unexpectedKeys, ["decoder.weight", "extra"])
            XCTAssertTrue(error.shapeMismatches.isEmpty)
            XCTAssertTrue(error.description.contains("missing keys: \"encoder.bias\""), error.description)
            XCTAssertTrue(error.description.contains("unexpected keys: \"decoder.weight\", \"extra\""), error.description)
        }
    }

    func testNonStrictLoadReportsSkippedKeysAndLoadsTheRest() throws {
        let model = FixtureModel()
        let result = try model.loadStateDict(["encoder.weight": Tensor([7, 8, 9] as [Float]), "other": Tensor([1] as [Float])], strict: false)
        XCTAssertEqual(result.unexpectedKeys, ["other"])
        XCTAssertEqual(result.missingKeys, ["encoder.bias", "norm.weight", "norm.running_mean", "norm.num_batches_tracked", "head.0.weight"])
        XCTAssertEqual(model.encoder.weight.value.scalars, [7, 8, 9])
    }

    func testShapeMismatchIsAnErrorEvenWhenNotStrictAndNothingIsWritten() {
        let model = FixtureModel()
        var state = model.stateDict().mapValues { $0.copied() }
        state["encoder.weight"] = Tensor([5, 5, 5] as [Float])  // fine on its own
        state["head.0.weight"] = Tensor([1, 2, 3] as [Float])
        for strict in [true, false] {
            XCTAssertThrowsError(try model.loadStateDict(state, strict: strict)) { error in
                guard let error = error as? StateDictError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.shapeMismatches, [.init(key: "head.0.weight", expected: [2], actual: [3])])
                XCTAssertTrue(error.description.contains("size mismatch for head.0.weight"), error.description)
            }
        }
        XCTAssertEqual(model.encoder.weight.value.scalars, [1, 2, 3], "all or nothing: no partial load")
    }

    func testValuesAreConvertedToTheModuleDType() throws {
        let model = FixtureModel()
        var state = model.stateDict().mapValues { $0.copied() }
        state["norm.num_batches_tracked"] = Tensor(shape: [], scalars: [12])        // float into int64
        state["encoder.weight"] = Tensor(shape: [3], int64Scalars: [4, 5, 6])      // int64 into float
        try model.loadStateDict(state)
        XCTAssertEqual(model.norm.numBatchesTracked.value.int64Scalars, [12])
        XCTAssertEqual(model.norm.numBatchesTracked.value.dtype, .int64)
        XCTAssertEqual(model.encoder.weight.value.scalars, [4, 5, 6])
    }

    func testValuesWithNoIntegerFormAreRejected() {
        let model = FixtureModel()
        var state = model.stateDict().mapValues { $0.copied() }
        state["norm.num_batches_tracked"] = Tensor(shape: [], scalars: [.nan])
        XCTAssertThrowsError(try model.loadStateDict(state)) { error in
            XCTAssertEqual((error as? StateDictError)?.invalidValues.keys.first, "norm.num_batches_tracked")
        }
        XCTAssertEqual(model.norm.numBatchesTracked.value.int64Scalars, [0])
    }

    func testLoadingAModuleIntoItselfIsHarmless() throws {
        let model = FixtureModel()
        try model.loadStateDict(model.stateDict())
        XCTAssertEqual(model.encoder.weight.value.scalars, [1, 2, 3])
    }

    func testTiedParametersLoadFromEitherName() throws {
        let model = Tied()
        try model.loadStateDict(["first.weight": Tensor([3, 4] as [Float]), "first.bias": Tensor([0, 0] as [Float]),
                                 "second.weight": Tensor([3, 4] as [Float]), "second.bias": Tensor([0, 0] as [Float])])
        XCTAssertEqual(model.second.weight.value.scalars, [3, 4])
    }

    func testSaveAndLoadRoundTripThroughSafetensors() throws {
        let path = modelPath
        let source = FixtureModel()
        source.encoder.bias!.value.withUnsafeMutableBufferPointer { $0[2] = -0.5 }
        source.norm.numBatchesTracked.value.withUnsafeMutableInt64BufferPointer { $0[0] = 1 << 40 }
        try source.save(to: path, metadata: ["epoch": "2"])
        XCTAssertEqual(try Safetensors.read(path: path).metadata, ["epoch": "2"])

        let target = FixtureModel()
        let storage = target.encoder.bias!.value.storage
        try target.load(from: path)
        XCTAssertTrue(target.encoder.bias!.value.storage === storage)
        for (name, tensor) in source.stateDict() {
            let loaded = target.stateDict()[name]!
            XCTAssertEqual(loaded.dtype, tensor.dtype, name)
            XCTAssertEqual(loaded.int64Scalars, tensor.int64Scalars, name)
            XCTAssertEqual(loaded.scalars, tensor.scalars, name)
        }
    }

    func testLoadingAFileOfTheWrongModelThrowsStateDictError() throws {
        let path = modelPath
        try Affine(4).save(to: path)
        XCTAssertThrowsError(try FixtureModel().load(from: path)) { error in
            guard let error = error as? StateDictError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.unexpectedKeys, ["bias", "weight"])
            XCTAssertEqual(error.missingKeys.count, 6)
        }
    }

    func testLoadingACorruptFileThrowsSafetensorsError() throws {
        let path = modelPath
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try FixtureModel().load(from: path)) { error in
            XCTAssertEqual((error as? SafetensorsError)?.problem, .fileTooSmall(byteCount: 3))
        }
    }

    func testLoadsAFileWrittenByTheReferenceImplementation() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "reference_state", withExtension: "safetensors", subdirectory: "Fixtures"))
        let model = FixtureModel()
        try model.load(from: url.path)
        XCTAssertEqual(model.encoder.weight.value.scalars, [0.5, -1.5, 2.25])
        XCTAssertEqual(model.encoder.bias?.value.scalars, [0.125, 0, -3])
        XCTAssertEqual(model.norm.weight.value.scalars, [1.5, 2.5])
        XCTAssertEqual(model.norm.runningMean.value.scalars, [-0.75, 0.25])
        XCTAssertEqual(model.norm.numBatchesTracked.value.int64Scalars, [5])
        XCTAssertEqual((model.head[0] as? Affine)?.weight.value.scalars, [4, -4])
        // And what we write for it is byte-identical to the reference writer's file.
        XCTAssertEqual(try Safetensors.encode(model.stateDict(), metadata: ["format": "pt"]), try [UInt8](Data(contentsOf: url)))
    }
}
