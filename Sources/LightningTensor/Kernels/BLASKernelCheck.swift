extension Tensor {
    /// The kernel family OpenBLAS chose for this CPU (`Haswell`, `SkylakeX`, `Zen`, …).
    public static var blasCoreName: String { BLASKernels.coreName }

    /// A warning when OpenBLAS fell back to its generic SSE (`Prescott`) kernels on a CPU with
    /// AVX2: older OpenBLAS builds do not recognise some newer CPUs (or the CPU ids a VM shows),
    /// and GEMM then runs several times slower. `nil` when the choice is fine, `OPENBLAS_CORETYPE`
    /// is set, or ``BLASKernels/selectFastKernels()`` already ran and fell back.
    public static var blasKernelWarning: String? {
        let environment = BLASKernelEnvironment.current()
        let cpu = CPUFeatures.current()
        guard case .reexec(let coreType) = BLASKernelPlan.decide(cpu: cpu, coreName: blasCoreName,
                                                               userCoreType: environment.userCoreType,
                                                               phase: environment.phase) else { return nil }
        return "OpenBLAS chose its \(blasCoreName) (SSE) kernels on a CPU with \(cpu.hasAVX512 ? "AVX-512" : "AVX2"); "
            + "matrix products run several times slower. Call BLASKernels.selectFastKernels() first thing in main "
            + "(LightningCLI.main() does), or set OPENBLAS_CORETYPE=\(coreType) in the environment."
    }
}
