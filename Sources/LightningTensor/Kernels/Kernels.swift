import COpenBLAS

/// The single dispatch point for compute kernels.
///
/// Every operation's arithmetic goes through `Kernels`; today they run on the CPU over unsafe
/// pointers and OpenBLAS. A second backend (CUDA) would branch here on the tensors' device.
package enum Kernels {
    /// Copies `source`'s elements into `destination` (same element count and dtype), on any
    /// devices; on the host the two may overlap (it is `memmove`).
    package static func copy(from source: Tensor, to destination: Tensor) {
        usagePrecondition(source.count == destination.count && source.dtype == destination.dtype, "copy: \(shapeText(source.shape)) \(source.dtype) into \(shapeText(destination.shape)) \(destination.dtype)")
        if source.device.isCPU && destination.device.isCPU {
            copy(from: source, to: destination, atElement: 0)
        } else {
            DeviceTransfer.copy(from: source, to: destination, op: "copy")
        }
    }

    /// Copies `source`'s elements into `destination` from element `start` on (same dtype), e.g.
    /// one sample into its row of a batch.
    package static func copy(from source: Tensor, to destination: Tensor, atElement start: Int) {
        usagePrecondition(source.dtype == destination.dtype && start >= 0 && start + source.count <= destination.count,
                          "copy: \(shapeText(source.shape)) \(source.dtype) into \(shapeText(destination.shape)) \(destination.dtype) at element \(start)")
        (destination.elementBase + start * destination.dtype.byteSize)
            .copyMemory(from: source.elementBase, byteCount: source.count * source.dtype.byteSize)
    }

    /// `destination += source`, elementwise, same count.
    static func addInPlace(_ destination: Tensor, _ source: Tensor) {
        usagePrecondition(source.count == destination.count, "addInPlace: \(shapeText(source.shape)) into \(shapeText(destination.shape))")
        destination.requireSameDevice(source, op: "backward")
        if case .cuda = destination.device { return CUDAKernels.axpy(destination, source) }
        cblas_saxpy(Int32(source.count), 1, source.floats, 1, destination.floats, 1)
    }

    /// `a + b` for tensors of the same shape.
    static func add(_ a: Tensor, _ b: Tensor) -> Tensor {
        if case .cuda = a.device {
            a.requireSameDevice(b, op: "backward")
            return CUDAKernels.binary(.add, a, b, name: "backward")
        }
        if a.shape == b.shape {
            let out = Tensor(uninitializedShape: a.shape)
            let x = a.floats, y = b.floats, z = out.floats
            for i in 0..<a.count { z[i] = x[i] + y[i] }
            return out
        }
        return binary(a, b, op: "add") { $0 + $1 }
    }

    /// Sets the number of BLAS threads (OpenBLAS).
    static func setBLASThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
}

extension Tensor {
    /// The number of threads OpenBLAS uses in this process.
    public static var blasThreads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(Swift.max(1, newValue))) }
    }
}
