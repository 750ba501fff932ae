// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-lightning",
    products: [
        .library(name: "LightningTensor", targets: ["LightningTensor"]),
        .library(name: "LightningNN", targets: ["LightningNN"]),
        .library(name: "LightningOptim", targets: ["LightningOptim"]),
        .library(name: "LightningData", targets: ["LightningData"]),
        .library(name: "TensorBoardEvents", targets: ["TensorBoardEvents"]),
        .executable(name: "swift-lightning-bench", targets: ["swift-lightning-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "pkg-config"])]
        ),
        .systemLibrary(
            name: "CMPI",
            pkgConfig: "ompi",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin", "pkg-config"])]
        ),
        .target(name: "LightningTensor", dependencies: ["COpenBLAS"]),
        .target(name: "LightningNN", dependencies: ["LightningTensor"]),
        .target(name: "LightningOptim", dependencies: ["LightningNN"]),
        .target(
            name: "LightningData",
            dependencies: ["LightningTensor"],
            resources: [.copy("Resources/digits.csv")]
        ),
        .target(
            name: "TensorBoardEvents",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Proto"]
        ),
        .executableTarget(
            name: "swift-lightning-bench",
            dependencies: ["LightningTensor", "LightningNN", "LightningOptim", "LightningData"]
        ),
        .testTarget(
            name: "LightningTensorTests",
            dependencies: ["LightningTensor"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LightningNNTests",
            dependencies: ["LightningNN"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LightningOptimTests",
            dependencies: ["LightningOptim", "LightningNN"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "CMPITests", dependencies: ["CMPI"]),
        .testTarget(
            name: "LightningDataTests",
            dependencies: ["LightningData"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "TensorBoardEventsTests",
            dependencies: ["TensorBoardEvents", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
