import XCTest
@testable import LightningOptim
