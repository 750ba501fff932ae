import XCTest
@testable import LightningData
