import XCTest
@testable import LightningNN

final class ModuleNamingTests: XCTestCase {
    func testParametersAreNamedByPathInPyTorchOrder() {
        let model = Composite()
        _ = model.lazyHead
        XCTAssertEqual(names(model.namedParameters()), [
            "scale",
            "encoder.weight", "encoder.bias",
            "blocks.0.weight", "blocks.1.weight", "blocks.1.bias",
            "maybe.weight", "maybe.bias",
            "heads.a.weight", "heads.b.weight", "heads.b.bias",
            "net.0.weight", "net.0.bias", "net.1.weight",
            "lazy_head.weight", "lazy_head.bias",
        ])
        XCTAssertEqual(model.parameters().count, 16)
        XCTAssertTrue(model.parameters()[1] === model.encoder.weight)
    }

    func testChildrenAndModules() {
        let model = Composite()
        _ = model.lazyHead
        XCTAssertEqual(names(model.namedChildren()), ["encoder", "blocks.0", "blocks.1", "maybe", "heads.a", "heads.b", "net", "lazy_head"])
        XCTAssertEqual(model.children().count, 8)
        XCTAssertEqual(names(model.namedModules()), [
            "", "encoder", "blocks.0", "blocks.1", "maybe", "heads.a", "heads.b", "net", "net.0", "net.1", "lazy_head",
        ])
        XCTAssertTrue(model.modules()[0] === model)
        XCTAssertTrue(model.modules()[9] === model.net[1])
    }

    func testBuffersIncludeNonPersistentOnesButStateDictDoesNot() {
        let model = Composite()
        XCTAssertEqual(names(model.namedBuffers()), ["step", "net.1.running_mean", "net.1.num_batches_tracked", "net.1.scratch"])
        XCTAssertEqual(model.buffers().count, 4)
        XCTAssertFalse(model.stateDict().keys.contains("net.1.scratch"))
    }

    func testLazyPropertiesAppearOnceInitialized() {
        let model = Composite()
        XCTAssertFalse(names(model.namedChildren()).contains("lazy_head"))
        _ = model.lazyHead
        XCTAssertTrue(names(model.namedChildren()).contains("lazy_head"))
    }

    func testSequentialNamesItsLayersByIndex() {
        let seq = Sequential(Affine(1), Sequential(Affine(1), Affine(1, bias: false)))
        XCTAssertEqual(names(seq.namedParameters()), ["0.weight", "0.bias", "1.0.weight", "1.0.bias", "1.1.weight"])
        XCTAssertEqual(seq.count, 2)
    }

    func testSubclassMembersFollowSuperclassMembers() {
        let model = ExtendedComposite()
        XCTAssertEqual(names(model.namedChildren()).last, "extra")
        XCTAssertEqual(names(model.namedParameters()).suffix(2), ["extra.weight", "extra.bias"])
    }

    func testNonRecursiveListingsStopAtTheModule() {
        let model = Composite()
        XCTAssertEqual(names(model.namedParameters(recurse: false)), ["scale"])
        XCTAssertEqual(names(model.namedBuffers(recurse: false)), ["step"])
    }

    func testBackReferencesDoNotRecurseForever() {
        let model = Parent()
        XCTAssertEqual(names(model.namedParameters()), ["child.w"])
        XCTAssertEqual(names(model.namedModules()), ["", "child"])
        XCTAssertEqual(Array(model.stateDict().keys), ["child.w"])
    }

    func testTiedParametersAreListedOnceButSavedUnderEveryName() {
        let model = Tied()
        XCTAssertEqual(names(model.namedParameters()), ["first.weight", "first.bias"])
        XCTAssertEqual(names(model.namedModules()), ["", "first"])
        XCTAssertEqual(Set(model.stateDict().keys), ["first.weight", "first.bias", "second.weight", "second.bias"])
    }

    func testSnakeCaseConversion() {
        XCTAssertEqual(Module.snakeCased("runningMean"), "running_mean")
        XCTAssertEqual(Module.snakeCased("numBatchesTracked"), "num_batches_tracked")
        XCTAssertEqual(Module.snakeCased("fc1"), "fc1")
        XCTAssertEqual(Module.snakeCased("fcHTTPLayer"), "fc_http_layer")
        XCTAssertEqual(Module.snakeCased("already_snake"), "already_snake")
        XCTAssertEqual(Module.snakeCased("_private"), "_private")
        XCTAssertEqual(Module.snakeCased("conv2D"), "conv2_d")
        XCTAssertEqual(Module.propertyName("$__lazy_storage_$_lazyHead"), "lazy_head")
    }

    func testParameterCount() {
        XCTAssertEqual(Affine(3).parameterCount, 6)
        XCTAssertEqual(Tied().parameterCount, 4)
    }

    func testDescriptionPrintsTheTree() {
        let seq = Sequential(Affine(1), Sequential(Affine(1)))
        XCTAssertEqual(seq.description, """
            Sequential(
              (0): Affine()
              (1): Sequential(
                (0): Affine()
              )
            )
            """)
    }
}
