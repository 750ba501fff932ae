#if canImport(Glibc)
import Glibc
#endif
import COpenBLAS

/// Which OpenBLAS kernels this process uses, and the switch to faster ones.
///
/// OpenBLAS picks its kernels for the CPU when it is loaded, before `main`, from `OPENBLAS_CORETYPE`
/// or its own CPU detection. Older builds do not recognise newer CPUs (or the CPU ids a VM shows)
/// and fall back to their SSE (`Prescott`) kernels, several times slower at matrix products. The
/// only remedy is to start the process again with `OPENBLAS_CORETYPE` set, which
/// ``selectFastKernels()`` does.
public enum BLASKernels {
    /// The environment variable that records that ``selectFastKernels()`` re-executed the process
    /// (`selected`, or `fallback` after the faster kernels computed wrong): never set it yourself.
    public static let guardVariable = "SWIFT_LIGHTNING_BLAS_REEXEC"

    /// Set to `1` to have ``selectFastKernels()`` print what it sees and does to standard error.
    public static let debugVariable = "SWIFT_LIGHTNING_BLAS_DEBUG"

    /// Test-only: the core name ``selectFastKernels()`` acts on instead of OpenBLAS's, so tests can
    /// exercise the re-execution on any CPU. Not for production use.
    static let testCoreNameVariable = "SWIFT_LIGHTNING_TEST_BLAS_CORENAME"

    /// Test-only: `fail` makes the check of the selected kernels fail, to exercise the fall-back.
    static let testVerifyVariable = "SWIFT_LIGHTNING_TEST_BLAS_VERIFY"

    /// The kernel family OpenBLAS chose for this process (`Haswell`, `SkylakeX`, `Prescott`, …).
    public static var coreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

    /// Re-executes this program at once with `OPENBLAS_CORETYPE` set to the fastest kernels the
    /// CPU runs (`Haswell` for AVX2 with FMA, `SkylakeX` for AVX-512 F, BW, DQ and VL) when
    /// OpenBLAS chose its generic SSE kernels and `OPENBLAS_CORETYPE` is unset; otherwise returns.
    ///
    /// Call it first thing in `main`, before anything else runs (MPI initialisation, threads, files):
    /// the process image is replaced (`execve` of `/proc/self/exe`, same PID, arguments and
    /// environment), so it works under `mpirun` and `srun`. After the restart it checks a small
    /// matrix product against a plain loop once; if the kernels compute wrong (some OpenBLAS
    /// builds do on CPUs they do not know), it warns and restarts once more with OpenBLAS's own
    /// choice. ``guardVariable`` prevents any further restart. `LightningCLI.main()` calls this.
    public static func selectFastKernels() {
        let environment = BLASKernelEnvironment.current()
        let cpu = CPUFeatures.current()
        var action = BLASKernelPlan.decide(cpu: cpu, coreName: environment.coreName, userCoreType: environment.userCoreType,
                                           phase: environment.phase)
        if action == .verify {
            let correct = environment.forceVerificationFailure ? false : sgemmMatchesPlainLoop()
            action = BLASKernelPlan.decide(cpu: cpu, coreName: environment.coreName, userCoreType: environment.userCoreType,
                                           phase: environment.phase, sgemmCorrect: correct)
            environment.debug("verified \(coreName) kernels: sgemm \(correct ? "matches" : "DIFFERS FROM") a plain loop")
        }
        environment.debug("action \(action)")
        switch action {
        case .keep, .verify:
            return
        case .reexec(let coreType):
            reexecute(coreType: coreType, phase: .selected)
        case .fallBack:
            StandardError.write(line: "warning: OpenBLAS's \(coreName) kernels computed a wrong matrix product on this CPU; "
                + "restarting with OpenBLAS's own choice of kernels (slower but correct)")
            reexecute(coreType: nil, phase: .fallback)
        }
    }
}
