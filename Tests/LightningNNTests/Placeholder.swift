import XCTest
@testable import LightningNN
