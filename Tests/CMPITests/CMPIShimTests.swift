import CMPI
import XCTest

/// The Open MPI shim links and exposes the handles Swift cannot import as macros.
/// (Only calls MPI allows before `MPI_Init`, so no launcher is needed.)
final class CMPIShimTests: XCTestCase {
    func testHandlesAreDistinctAndLibraryAnswers() {
        var initialized: Int32 = -1
        XCTAssertEqual(MPI_Initialized(&initialized), cmpi_success())
        XCTAssertEqual(initialized, 0, "nothing here initializes MPI")
        var major: Int32 = 0, minor: Int32 = 0
        XCTAssertEqual(MPI_Get_version(&major, &minor), cmpi_success())
        XCTAssertGreaterThanOrEqual(major, 3)
        XCTAssertNotEqual(cmpi_float(), cmpi_double())
        XCTAssertNotEqual(cmpi_sum(), cmpi_max())
        XCTAssertNotNil(cmpi_in_place())
        XCTAssertNotEqual(cmpi_comm_world(), cmpi_comm_null())
    }
}
