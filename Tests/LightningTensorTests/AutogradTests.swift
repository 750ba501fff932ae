import Foundation
import XCTest
@testable import LightningTensor

final class AutogradTests: XCTestCase {
    func testGradientsAccumulateAcrossBackwardCalls() {
        let w = Tensor([1, 2, 3]).requiringGrad()
        (w * w).sum().backward()
        XCTAssertEqual(w.grad?.scalars, [2, 4, 6])
        (w * 3).sum().backward()
        XCTAssertEqual(w.grad?.scalars, [5, 7, 9])
        w.clearGradient()
        XCTAssertNil(w.grad)
    }

    func testReusedInputsSumTheirContributions() {
        let x = Tensor([2]).requiringGrad()
        let y = x * x * x + x.exp() * 0 + x   // x³ + x
        y.sum().backward()
        XCTAssertEqual(x.grad!.scalars[0], 13, accuracy: 1e-5)  // 3x² + 1
    }

    func testExplicitGradientForNonScalarOutput() {
        let x = Tensor([[1, 2], [3, 4]]).requiringGrad()
        let y = x * x
        y.backward(Tensor([[1, 0], [0, 1]]))
        XCTAssertEqual(x.grad?.scalars, [2, 0, 0, 8])
    }

    func testRequiresGradPropagatesAndNoGradRecordsNothing() {
        let a = Tensor([1, 2]).requiringGrad(), b = Tensor([3, 4])
        XCTAssertTrue((a + b).requiresGrad)
        XCTAssertFalse((b + b).requiresGrad)
        XCTAssertNotNil((a * b).gradFn)
        let c = noGrad { a * b }
        XCTAssertFalse(c.requiresGrad)
        XCTAssertNil(c.gradFn)
        XCTAssertTrue(GradMode.isEnabled)
        let d = (a * b).detached()
        XCTAssertFalse(d.requiresGrad)
        XCTAssertTrue(d.sharesElements(with: d))
    }

    /// Grad mode is per thread: a worker started while the main thread is inside `noGrad`
    /// (the DataLoader's prefetch thread) records graphs, and its own `noGrad` stays its own.
    func testGradModeIsPerThread() {
        func onWorkerThread(_ body: @escaping @Sendable () -> Void) {
            let done = DispatchSemaphore(value: 0)
            let thread = Thread { body(); done.signal() }
            thread.start()
            done.wait()
        }
        // Unchecked: written by the worker thread before `done.signal()`, read after `done.wait()`.
        final class Seen: @unchecked Sendable { var enabled = false, recorded = false, gradient: [Float] = [] }
        let seen = Seen()
        noGrad {
            XCTAssertFalse(GradMode.isEnabled)
            onWorkerThread {
                seen.enabled = GradMode.isEnabled
                let x = Tensor([1, 2, 3]).requiringGrad()
                let y = (x * x).sum()
                seen.recorded = y.gradFn != nil
                y.backward()
                seen.gradient = x.grad?.scalars ?? []
            }
            XCTAssertFalse(GradMode.isEnabled, "the worker did not change this thread's mode")
            XCTAssertNil((Tensor([1]).requiringGrad() * 2).gradFn)
        }
        XCTAssertTrue(seen.enabled, "a worker thread is not inside the main thread's noGrad")
        XCTAssertTrue(seen.recorded)
        XCTAssertEqual(seen.gradient, [2, 4, 6])

        let release = DispatchSemaphore(value: 0), entered = DispatchSemaphore(value: 0)
        let worker = Thread {
            noGrad {
                entered.signal()
                release.wait()
            }
        }
        worker.start()
        entered.wait()
        XCTAssertTrue(GradMode.isEnabled, "a worker inside noGrad leaves this thread recording")
        XCTAssertNotNil((Tensor([1]).requiringGrad() * 2).gradFn)
        release.signal()
    }

    /// The graph must not keep itself alive: a node never references its own output.
    func testGraphIsFreedAfterBackwardAndWhenTensorsGoOutOfScope() {
        weak var weakNode: Node?
        weak var weakStorage: TensorStorage?
        let w = Tensor.randn([16, 8]).requiringGrad()
        do {
            let x = Tensor.randn([4, 16])
            let hidden = x.matmul(w).relu()
            weakStorage = hidden.storage
            let loss = hidden.softmax(dim: 1).logsumexp(dim: 1).mean()
            weakNode = hidden.gradFn
            XCTAssertTrue(weakNode?.isAlive ?? false)
            loss.backward()
            // Saved tensors are released as backward passes through each node.
            XCTAssertFalse(weakNode?.isAlive ?? true)
        }
        XCTAssertNil(weakNode, "the node outlived every tensor that referenced it")
        XCTAssertNil(weakStorage, "an intermediate's storage outlived the graph")
        XCTAssertNotNil(w.grad)

        // Without backward: dropping the result frees the whole graph too.
        weak var unusedNode: Node?
        do {
            let y = (w * 2).tanh().sum()
            unusedNode = y.gradFn
            XCTAssertNotNil(unusedNode)
        }
        XCTAssertNil(unusedNode)
    }

    func testGradientSlotsReceiveGradientsInPlace() {
        let w = Tensor.randn([3, 4]).requiringGrad(), b = Tensor.zeros([3]).requiringGrad()
        let buffer = Tensor.zeros([16])
        w.assignGradientSlot(Tensor(storage: buffer.storage, shape: [3, 4], offset: 0))
        b.assignGradientSlot(Tensor(storage: buffer.storage, shape: [3], offset: 12))
        XCTAssertNil(w.grad)
        let x = Tensor.randn([5, 4])
        linear(x, weight: w, bias: b).sum().backward()
        XCTAssertTrue(w.grad!.sharesElements(with: Tensor(storage: buffer.storage, shape: [3, 4], offset: 0)))
        // d/dW Σ(xWᵀ + b) = column sums of x for every row; d/db = N.
        let columnSums = x.sum(dim: 0).scalars
        for r in 0..<3 { for c in 0..<4 { XCTAssertEqual(w.grad!.scalars[r * 4 + c], columnSums[c], accuracy: 1e-4) } }
        XCTAssertEqual(b.grad?.scalars, [5, 5, 5])
        XCTAssertEqual(Array(buffer.scalars[12..<15]), [5, 5, 5])
        // A second backward accumulates into the slot.
        linear(x, weight: w, bias: b).sum().backward()
        XCTAssertEqual(b.grad?.scalars, [10, 10, 10])
        b.clearGradient()
        XCTAssertNil(b.grad)
        linear(x, weight: w, bias: b).sum().backward()
        XCTAssertEqual(b.grad?.scalars, [5, 5, 5])
    }

    func testStoragePoolReusesBlocksAcrossSteps() {
        let w = Tensor.randn([64, 32]).requiringGrad()
        let x = Tensor.randn([16, 64])
        func step() { x.matmul(w).relu().sum().backward(); w.clearGradient() }
        step(); step()
        let before = StoragePool.shared.systemAllocations
        for _ in 0..<20 { step() }
        XCTAssertEqual(StoragePool.shared.systemAllocations, before, "a repeated step should not allocate new blocks")
    }

    func testStorageIsAligned() {
        for n in [1, 3, 17, 1000] {
            XCTAssertEqual(Int(bitPattern: Tensor.zeros([n]).storage.base) % 64, 0)
        }
    }
}

extension AutogradTests {
    /// A leaf used as both operands of one op with a gradient slot gets both contributions.
    func testSlotLeafUsedTwiceInOneOp() {
        let a = Tensor([[1, 2], [3, 4]]).requiringGrad()
        a.assignGradientSlot(Tensor.zeros([2, 2]))
        a.matmul(a).sum().backward()
        // d/dA Σ(A·A) = 1·Aᵀ + Aᵀ·1
        let reference = Tensor([[1, 2], [3, 4]]).requiringGrad()
        reference.matmul(reference.detached()).sum().backward()
        reference.detached().matmul(reference).sum().backward()
        XCTAssertEqual(a.grad?.scalars, reference.grad?.scalars)
    }
}
