#if canImport(Glibc)
import Glibc
#endif
import LightningTensor
import XCTest

final class BLASKernelCheckTests: XCTestCase {
    func testCoreNameIsReportedAndAnExplicitCoreTypeSilencesTheWarning() {
        XCTAssertFalse(Tensor.blasCoreName.isEmpty)
        if let warning = Tensor.blasKernelWarning {
            XCTAssertTrue(warning.contains("OPENBLAS_CORETYPE="), warning)
            XCTAssertTrue(warning.contains("BLASKernels.selectFastKernels()"), warning)
        }
        let previous = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
        setenv("OPENBLAS_CORETYPE", "Haswell", 1)
        defer { if let previous { setenv("OPENBLAS_CORETYPE", previous, 1) } else { unsetenv("OPENBLAS_CORETYPE") } }
        XCTAssertNil(Tensor.blasKernelWarning)
    }
}
