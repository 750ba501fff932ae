#if canImport(Glibc)
import Glibc
#endif
import COpenBLAS

extension Tensor {
    /// The kernel family OpenBLAS chose for this CPU (`Haswell`, `SkylakeX`, `Zen`, …).
    public static var blasCoreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

    /// A warning when OpenBLAS fell back to its SSE3 (`Prescott`) kernels on a CPU with AVX2: older
    /// OpenBLAS builds do not recognise some newer CPUs (or the CPU ids a VM shows), and GEMM then
    /// runs several times slower. `nil` when the choice is fine or `OPENBLAS_CORETYPE` is set.
    public static var blasKernelWarning: String? {
        guard getenv("OPENBLAS_CORETYPE") == nil, blasCoreName == "Prescott" else { return nil }
        let flags = cpuFlags()
        guard flags.contains("avx2") else { return nil }
        let suggestion = flags.contains("avx512f") ? "SkylakeX" : "Haswell"
        return "OpenBLAS chose its Prescott (SSE3) kernels on a CPU with AVX2\(flags.contains("avx512f") ? " and AVX-512" : ""); "
            + "matrix products run several times slower. Set OPENBLAS_CORETYPE=\(suggestion) in the environment to use the right kernels."
    }

    /// The `flags` line of `/proc/cpuinfo` (POSIX reads: this module does not link Foundation).
    private static func cpuFlags() -> Set<Substring> {
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            if text.hasPrefix("flags") { return Set(text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })) }
        }
        return []
    }
}
