#if canImport(Glibc)
import Glibc
#endif

/// What ``BLASKernels/selectFastKernels()`` reads from the process: OpenBLAS's choice (or the
/// test override), the user's `OPENBLAS_CORETYPE` and the guard variable.
struct BLASKernelEnvironment: Sendable {
    /// The core name to act on.
    var coreName: String
    /// `OPENBLAS_CORETYPE`, nil when unset.
    var userCoreType: String?
    /// The guard variable's step; nil when unset or empty, ``BLASKernelPlan/Phase/fallback`` for an
    /// unknown value, so no value can make the process restart again and again.
    var phase: BLASKernelPlan.Phase?
    /// The test-only switch that makes the kernel check fail.
    var forceVerificationFailure: Bool
    /// Whether to print what happens to standard error.
    var debugging: Bool

    /// This process's environment.
    static func current() -> BLASKernelEnvironment {
        let guardValue = variable(BLASKernels.guardVariable) ?? ""
        return BLASKernelEnvironment(
            coreName: variable(BLASKernels.testCoreNameVariable).flatMap { $0.isEmpty ? nil : $0 } ?? BLASKernels.coreName,
            userCoreType: variable("OPENBLAS_CORETYPE"),
            phase: guardValue.isEmpty ? nil : BLASKernelPlan.Phase(rawValue: guardValue) ?? .fallback,
            forceVerificationFailure: variable(BLASKernels.testVerifyVariable) == "fail",
            debugging: variable(BLASKernels.debugVariable) == "1")
    }

    /// The environment variable `name`, nil when unset.
    static func variable(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// Prints `message` with this process's id and inputs when debugging.
    func debug(_ message: String) {
        guard debugging else { return }
        StandardError.write(line: "blas-kernels: pid \(getpid()) core \(coreName) OPENBLAS_CORETYPE=\(userCoreType ?? "unset") "
            + "\(BLASKernels.guardVariable)=\(phase?.rawValue ?? "unset"): \(message)")
    }
}
