// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-lightning",
    products: [
        .library(name: "LightningTensor", targets: ["LightningTensor"]),
        .library(name: "LightningNN", targets: ["LightningNN"]),
        .library(name: "LightningOptim", targets: ["LightningOptim"]),
        .library(name: "LightningData", targets: ["LightningData"]),
        .library(name: "LightningDistributed", targets: ["LightningDistributed"]),
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
        .target(name: "LightningTensor", dependencies: ["COpenBLAS"]),
        .target(name: "LightningNN", dependencies: ["LightningTensor"]),
        .target(name: "LightningOptim", dependencies: ["LightningNN"]),
        .target(
            name: "LightningData",
            dependencies: ["LightningTensor"],
            resources: [.copy("Resources/digits.csv")]
        ),
        .target(name: "LightningDistributed", dependencies: ["LightningTensor", "CMPI", "COpenBLAS"]),
        // Internal: run under mpirun by LightningDistributedTests and the allreduce benchmark.
        .executableTarget(name: "lightning-mpi-probe", dependencies: ["LightningDistributed", "CMPI"]),
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
        .testTarget(name: "LightningDistributedTests", dependencies: ["LightningDistributed"]),
        .testTarget(
            name: "LightningDataTests",
            dependencies: ["LightningData"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
