#if canImport(Glibc)
import Glibc
#endif

extension BLASKernels {
    /// Replaces this process with a fresh run of the same executable, arguments and environment,
    /// plus `OPENBLAS_CORETYPE` = `coreType` (removed when nil) and the guard at `phase`.
    /// Returns only when `execv` fails, having warned and restored the environment.
    static func reexecute(coreType: String?, phase: BLASKernelPlan.Phase) {
        let previousCoreType = BLASKernelEnvironment.variable("OPENBLAS_CORETYPE")
        let previousGuard = BLASKernelEnvironment.variable(guardVariable)
        if let coreType { setenv("OPENBLAS_CORETYPE", coreType, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
        setenv(guardVariable, phase.rawValue, 1)
        // Output buffered by this image would be lost with it.
        fflush(nil)
        // /proc/self/exe rather than argv[0]: argv[0] may be a bare name looked up on PATH or
        // relative to a directory the program has since left.
        var arguments: [UnsafeMutablePointer<CChar>?] = CommandLine.arguments.map { strdup($0) }
        arguments.append(nil)
        execv("/proc/self/exe", arguments)
        let reason = String(cString: strerror(errno))
        for argument in arguments { free(argument) }
        restore("OPENBLAS_CORETYPE", previousCoreType)
        restore(guardVariable, previousGuard)
        StandardError.write(line: "warning: could not restart with OPENBLAS_CORETYPE=\(coreType ?? "unset") (execv: \(reason)); "
            + "continuing with OpenBLAS's \(coreName) kernels")
    }

    /// Sets `name` back to `value` (unset when nil).
    private static func restore(_ name: String, _ value: String?) {
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
    }
}
