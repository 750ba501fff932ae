import LightningCUDA

/// The GPU side of ``Kernels``: each function takes tensors on one GPU, launches the backend's
/// CUDA C kernels (``CUDAKernelSource``) through ``CUDARuntime`` and returns tensors on that GPU.
/// A failing launch stops naming the op, as every other tensor misuse does.
package enum CUDAKernels {
    /// Threads per block of the kernels that reduce within a block (a power of two).
    static let rowBlock = 256

    /// The GPU ordinal of `tensor` (which is on a GPU).
    @inline(__always)
    package static func ordinal(_ tensor: Tensor) -> Int {
        guard case .cuda(let ordinal) = tensor.device else { tensorFailure("cuda", "internal: a CPU tensor reached a GPU kernel") }
        return ordinal
    }

    /// The kernel argument addressing `tensor`'s first element.
    @inline(__always)
    package static func pointer(_ tensor: Tensor) -> KernelArgument {
        .pointer(tensor.storage.devicePointer.advanced(by: tensor.offset * tensor.dtype.byteSize))
    }

    /// The null pointer, for optional kernel inputs.
    static let none = KernelArgument.pointer(DevicePointer(address: 0))

    /// Launches `kernel` over `elements` with a grid-stride loop.
    package static func launch(_ kernel: String, _ source: CUDAKernelSource, on ordinal: Int, elements: Int, _ arguments: [KernelArgument], op: String) {
        do {
            try DeviceTransfer.runtime(for: ordinal, op: op).0.launch(kernel, in: source, device: ordinal, elements: elements, arguments: arguments)
        } catch {
            tensorFailure(op, "the CUDA kernel \(kernel) on cuda:\(ordinal) failed: \(error)")
        }
    }

    /// Launches `kernel` with one block of ``rowBlock`` threads per row (at most 65,535 blocks,
    /// each looping over rows) and `sharedBytesPerThread` bytes of shared memory per thread.
    static func launchRows(_ kernel: String, _ source: CUDAKernelSource, on ordinal: Int, rows: Int, sharedBytesPerThread: Int = 4,
                           _ arguments: [KernelArgument], op: String) {
        guard rows > 0 else { return }
        do {
            try DeviceTransfer.runtime(for: ordinal, op: op).0.launch(
                kernel, in: source, device: ordinal, grid: LaunchDimensions(Swift.min(rows, 65_535)), block: LaunchDimensions(rowBlock),
                sharedBytes: rowBlock * sharedBytesPerThread, arguments: arguments)
        } catch {
            tensorFailure(op, "the CUDA kernel \(kernel) on cuda:\(ordinal) failed: \(error)")
        }
    }

    /// A new float32 tensor of `shape` on `like`'s GPU.
    @inline(__always)
    static func empty(_ shape: [Int], like: Tensor, dtype: DType = .float32) -> Tensor {
        Tensor(uninitializedShape: shape, dtype: dtype, device: like.device)
    }
}
