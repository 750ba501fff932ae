#if canImport(Glibc)
import Glibc
#endif

/// The instruction-set extensions of this CPU that decide which OpenBLAS kernels can run, as the
/// kernel lists them in the `flags` line of `/proc/cpuinfo` (Linux clears a flag when the OS does
/// not save that extension's registers, so a listed flag is usable).
struct CPUFeatures: Equatable, Sendable {
    /// The flags, lowercase (`avx2`, `fma`, `avx512f`, …).
    var flags: Set<String>

    /// Features named by `flags`.
    init(flags: Set<String>) { self.flags = flags }

    /// This machine's features; empty where `/proc/cpuinfo` is unreadable, so nothing is assumed.
    static func current() -> CPUFeatures { CPUFeatures(flags: cpuinfoFlags()) }

    /// AVX2 with FMA3: what OpenBLAS's Haswell kernels use.
    var hasAVX2: Bool { flags.contains("avx2") && flags.contains("fma") }

    /// The AVX-512 subsets OpenBLAS's SkylakeX kernels use: F, BW, DQ and VL (Xeon Phi has F
    /// without BW/DQ/VL and must not get them).
    var hasAVX512: Bool { hasAVX2 && ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) }

    /// The fastest OpenBLAS core type these features run: `SkylakeX`, `Haswell`, or nil when
    /// there is none beyond the SSE kernels.
    var bestBLASCoreType: String? { hasAVX512 ? "SkylakeX" : hasAVX2 ? "Haswell" : nil }

    /// The `flags` line of `/proc/cpuinfo` (POSIX reads: this module does not link Foundation).
    private static func cpuinfoFlags() -> Set<String> {
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            if text.hasPrefix("flags") {
                return Set(text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map { $0.lowercased() })
            }
        }
        return []
    }
}
