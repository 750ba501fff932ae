// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-lightning",
    products: [
        .library(name: "Safetensors", targets: ["Safetensors"]),
        .library(name: "LightningTensor", targets: ["LightningTensor"]),
        .library(name: "LightningNN", targets: ["LightningNN"]),
        .library(name: "LightningOptim", targets: ["LightningOptim"]),
        .library(name: "LightningData", targets: ["LightningData"]),
        .executable(name: "swift-lightning-bench", targets: ["swift-lightning-bench"]),
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
        .target(name: "Safetensors"),
        .target(name: "LightningTensor", dependencies: ["COpenBLAS", "Safetensors"]),
        .target(name: "LightningNN", dependencies: ["LightningTensor"]),
        .target(name: "LightningOptim", dependencies: ["LightningNN"]),
        .target(
            name: "LightningData",
            dependencies: ["LightningTensor"],
            resources: [.copy("Resources/digits.csv")]
        ),
        .executableTarget(
            name: "swift-lightning-bench",
            dependencies: ["LightningTensor", "LightningNN", "LightningOptim", "LightningData"]
        ),
        .target(
            name: "LightningTestSupport",
            dependencies: ["LightningTensor"],
            path: "Tests/LightningTestSupport"
        ),
        .testTarget(
            name: "LightningTensorTests",
            dependencies: ["LightningTensor", "LightningTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LightningNNTests",
            dependencies: ["LightningNN", "LightningTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LightningOptimTests",
            dependencies: ["LightningOptim", "LightningNN", "LightningTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SafetensorsTests", dependencies: ["Safetensors", "LightningTestSupport"]),
        .testTarget(name: "CMPITests", dependencies: ["CMPI"]),
        .testTarget(
            name: "LightningDataTests",
            dependencies: ["LightningData", "LightningTestSupport"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
