@testable import LightningTensor
import XCTest

/// The kernel-selection decision as a table: CPU features × OpenBLAS's choice × the user's
/// `OPENBLAS_CORETYPE` × the guard (× the kernel check) → action.
final class BLASKernelPlanTests: XCTestCase {
    private let sse = CPUFeatures(flags: ["sse2", "sse3", "ssse3", "sse4_2", "avx"])
    private let avx2NoFMA = CPUFeatures(flags: ["sse3", "avx", "avx2"])
    private let avx2 = CPUFeatures(flags: ["sse3", "avx", "avx2", "fma"])
    // Knights Landing: AVX-512 F (and CD, ER, PF) without BW, DQ, VL.
    private let xeonPhi = CPUFeatures(flags: ["avx", "avx2", "fma", "avx512f", "avx512cd", "avx512er", "avx512pf"])
    private let avx512 = CPUFeatures(flags: ["avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"])

    func testDecisionTable() {
        typealias Row = (cpu: CPUFeatures, core: String, user: String?, phase: BLASKernelPlan.Phase?, sgemm: Bool?,
                         expected: BLASKernelPlan.Action, line: UInt)
        let rows: [Row] = [
            // Generic kernels, nothing set: re-execute with the best core the flags allow.
            (avx2, "Prescott", nil, nil, nil, .reexec(coreType: "Haswell"), #line),
            (avx512, "Prescott", nil, nil, nil, .reexec(coreType: "SkylakeX"), #line),
            (xeonPhi, "Prescott", nil, nil, nil, .reexec(coreType: "Haswell"), #line),
            (avx512, "Nehalem", nil, nil, nil, .reexec(coreType: "SkylakeX"), #line),
            (avx2, "core2", nil, nil, nil, .reexec(coreType: "Haswell"), #line),
            (avx2, "Prescott", "", nil, nil, .reexec(coreType: "Haswell"), #line),
            // Nothing faster to offer: keep.
            (sse, "Prescott", nil, nil, nil, .keep, #line),
            (avx2NoFMA, "Prescott", nil, nil, nil, .keep, #line),
            (CPUFeatures(flags: []), "Prescott", nil, nil, nil, .keep, #line),
            // OpenBLAS recognised the CPU: keep, even where another core might be faster.
            (avx512, "Haswell", nil, nil, nil, .keep, #line),
            (avx512, "SkylakeX", nil, nil, nil, .keep, #line),
            (avx2, "Zen", nil, nil, nil, .keep, #line),
            (avx512, "Sandybridge", nil, nil, nil, .keep, #line),
            // The user chose: keep, whatever they chose.
            (avx512, "Prescott", "Prescott", nil, nil, .keep, #line),
            (avx2, "Haswell", "Haswell", nil, nil, .keep, #line),
            // Re-executed with a faster core: check it once, then keep it or fall back.
            (avx512, "SkylakeX", "SkylakeX", .selected, nil, .verify, #line),
            (avx512, "SkylakeX", "SkylakeX", .selected, true, .keep, #line),
            (avx512, "SkylakeX", "SkylakeX", .selected, false, .fallBack, #line),
            // OpenBLAS ignored the core type (a build without it): the guard still stops a loop.
            (avx2, "Prescott", "Haswell", .selected, nil, .verify, #line),
            (avx2, "Prescott", "Haswell", .selected, true, .keep, #line),
            // Fell back: never again, whatever else holds.
            (avx512, "Prescott", nil, .fallback, nil, .keep, #line),
            (avx512, "Prescott", nil, .fallback, false, .keep, #line),
        ]
        for row in rows {
            XCTAssertEqual(BLASKernelPlan.decide(cpu: row.cpu, coreName: row.core, userCoreType: row.user, phase: row.phase,
                                                 sgemmCorrect: row.sgemm), row.expected, line: row.line)
        }
    }

    func testNoActionSequenceRestartsMoreThanTwice() {
        // Follow the process through its restarts for every CPU and kernel-check outcome: each
        // restart sets OPENBLAS_CORETYPE and the guard as `reexecute` does.
        for cpu in [sse, avx2NoFMA, avx2, xeonPhi, avx512] {
            for sgemm in [true, false] {
                var user: String?, phase: BLASKernelPlan.Phase?, restarts = 0
                while restarts < 5 {
                    var action = BLASKernelPlan.decide(cpu: cpu, coreName: "Prescott", userCoreType: user, phase: phase)
                    if action == .verify {
                        action = BLASKernelPlan.decide(cpu: cpu, coreName: "Prescott", userCoreType: user, phase: phase, sgemmCorrect: sgemm)
                    }
                    if case .reexec(let core) = action { user = core; phase = .selected }
                    else if action == .fallBack { user = nil; phase = .fallback }
                    else { break }
                    restarts += 1
                }
                let expected = cpu.bestBLASCoreType == nil ? 0 : sgemm ? 1 : 2
                XCTAssertEqual(restarts, expected, "\(cpu.flags.sorted()) sgemm \(sgemm)")
            }
        }
    }

    func testTheSelectedKernelsOfThisProcessComputeRight() {
        XCTAssertTrue(BLASKernels.sgemmMatchesPlainLoop(), "OpenBLAS \(BLASKernels.coreName)")
    }
}
