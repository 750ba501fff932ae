import LightningTestSupport
import XCTest

extension OpCase {
    /// Every case of the fixture copied from `shared/reference/ops.json`.
    static func loadAll() throws -> [OpCase] {
        struct Fixture: Decodable { let cases: [OpCase] }
        return try loadFixture("ops", as: Fixture.self, bundle: .module).cases
    }
}
