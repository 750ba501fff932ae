/// The decision behind ``BLASKernels/selectFastKernels()``, as a pure function of what one
/// process sees, so every combination can be tested as a table.
///
/// A process either keeps its kernels, re-executes itself with `OPENBLAS_CORETYPE` set (OpenBLAS
/// reads it only when it is loaded, before `main`), or checks the kernels it was re-executed
/// with. The guard variable ``BLASKernels/guardVariable`` records the step reached, so a process
/// re-executes at most twice in all: once to faster kernels, once back if they compute wrong.
enum BLASKernelPlan {
    /// The step a process has reached, as the guard variable holds it.
    enum Phase: String, Sendable {
        /// Re-executed with the faster core type; its results are not yet checked.
        case selected
        /// Re-executed back to OpenBLAS's own choice after the faster kernels computed wrong.
        case fallback
    }

    /// What the process does.
    enum Action: Equatable, Sendable {
        /// Nothing: the kernels are right for the CPU, the user chose, or nothing is faster.
        case keep
        /// Re-execute with `OPENBLAS_CORETYPE` set to this core type, guard at ``Phase/selected``.
        case reexec(coreType: String)
        /// Check a small sgemm against a plain loop before trusting the selected kernels.
        case verify
        /// The selected kernels computed wrong: re-execute without `OPENBLAS_CORETYPE` (as the
        /// user started it), guard at ``Phase/fallback``.
        case fallBack
    }

    /// OpenBLAS's SSE-only kernels, which it picks for CPUs it does not recognise (Prescott is
    /// its fallback; older builds map unknown Intel models to the others). On a CPU with AVX2
    /// any of them is a misdetection, several times slower at GEMM.
    static let genericCoreNames: Set<String> = ["prescott", "core2", "penryn", "dunnington", "nehalem"]

    /// Whether `coreName` (from `openblas_get_corename`) is one of ``genericCoreNames``.
    static func isGeneric(_ coreName: String) -> Bool { genericCoreNames.contains(coreName.lowercased()) }

    /// The action for a process on a CPU with `cpu`, whose OpenBLAS chose `coreName`, started
    /// with `OPENBLAS_CORETYPE` = `userCoreType` (nil or empty: unset) and the guard at `phase`
    /// (nil: unset; an unknown value counts as ``Phase/fallback``, so a bad value never loops).
    /// `sgemmCorrect` is the outcome of ``Action/verify`` once it has run.
    static func decide(cpu: CPUFeatures, coreName: String, userCoreType: String?, phase: Phase?,
                       sgemmCorrect: Bool? = nil) -> Action {
        switch phase {
        case .selected?:
            guard let sgemmCorrect else { return .verify }
            return sgemmCorrect ? .keep : .fallBack
        case .fallback?:
            return .keep
        case nil:
            if let userCoreType, !userCoreType.isEmpty { return .keep }
            guard isGeneric(coreName), let best = cpu.bestBLASCoreType else { return .keep }
            return .reexec(coreType: best)
        }
    }
}
