// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-lightning",
    products: [
        .library(name: "Safetensors", targets: ["Safetensors"]),
        .library(name: "LightningCUDA", targets: ["LightningCUDA"]),
        .library(name: "LightningTensor", targets: ["LightningTensor"]),
        .library(name: "LightningNN", targets: ["LightningNN"]),
        .library(name: "LightningOptim", targets: ["LightningOptim"]),
        .library(name: "LightningData", targets: ["LightningData"]),
        .library(name: "TensorBoardEvents", targets: ["TensorBoardEvents"]),
        .library(name: "LightningPlot", targets: ["LightningPlot"]),
        .library(name: "LightningInterop", targets: ["LightningInterop"]),
        .library(name: "Lightning", targets: ["Lightning"]),
        .library(name: "LightningDistributed", targets: ["LightningDistributed"]),
        .executable(name: "swift-lightning-bench", targets: ["swift-lightning-bench"]),
        .library(name: "LightningCLI", targets: ["LightningCLI"]),
        .executable(name: "swift-lightning", targets: ["swift-lightning"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
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
        // The few CUDA types and function signatures called through dlopen/dlsym: nothing links
        // against CUDA, so the package builds and runs without it (no pkg-config, no link line).
        .systemLibrary(name: "CCUDA"),
        // CRC-32C with the processor's instruction (a C function attribute, no build flag).
        .target(name: "CCRC32C"),
        .target(name: "Checksums", dependencies: ["CCRC32C"]),
        .target(name: "Safetensors", dependencies: ["Checksums"]),
        // The CUDA libraries opened at run time, the kernels' CUDA C, NVRTC's disk cache and the
        // caching device allocator; no tensors.
        .target(name: "LightningCUDA", dependencies: ["CCUDA"]),
        .target(name: "LightningTensor", dependencies: ["COpenBLAS", "Safetensors", "LightningCUDA"]),
        .target(name: "LightningNN", dependencies: ["LightningTensor"]),
        // PyTorch Lightning's .ckpt (torch.save zip + pickle) read without executing anything.
        .target(name: "LightningInterop", dependencies: ["LightningTensor"]),
        .target(name: "LightningOptim", dependencies: ["LightningNN", "LightningCUDA"]),
        .target(
            name: "LightningData",
            dependencies: ["LightningTensor", "Safetensors", "Checksums"],
            resources: [.copy("Resources/digits.csv")]
        ),
        .target(
            name: "TensorBoardEvents",
            dependencies: ["Checksums", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Proto"]
        ),
        // Training curves from metrics.csv as SVG text; Foundation only.
        .target(name: "LightningPlot"),
        .target(
            name: "Lightning",
            dependencies: ["LightningOptim", "LightningData", "LightningDistributed", "TensorBoardEvents", "LightningPlot", "LightningInterop", "LightningCUDA",
                           .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "LightningDistributed", dependencies: ["LightningTensor", "CMPI", "COpenBLAS"]),
        .executableTarget(
            name: "swift-lightning-bench",
            dependencies: ["Checksums", "LightningTensor", "LightningNN", "LightningOptim", "LightningData", "Lightning", "LightningDistributed", "LightningCLI", "CMPI",
                           "LightningReference"]
        ),
        .target(name: "LightningCLI", dependencies: ["Lightning", "LightningDistributed", "LightningPlot", .product(name: "Yams", package: "Yams")]),
        .executableTarget(name: "swift-lightning", dependencies: ["LightningCLI"]),
        // A user's own model and data behind LightningCLI; LightningCLITests builds and runs it.
        .executableTarget(name: "custom-cli-example", dependencies: ["LightningCLI"], path: "Examples/CustomCLI"),
        // Test tools: run under mpirun by LightningDistributedTests (collectives, failure drills)
        // and LightningTests (Trainer runs); they measure nothing (every figure is the bench's).
        .executableTarget(name: "lightning-mpi-probe", dependencies: ["LightningDistributed", "CMPI"],
                          path: "Tests/Probes/lightning-mpi-probe"),
        .executableTarget(name: "lightning-ddp-probe", dependencies: ["Lightning", "LightningTestSupport"], path: "Tests/Probes/lightning-ddp-probe"),
        // PyTorch's reference fixtures (ops.json cases and their mapping onto our ops), shared by the
        // tests and the GPU proof's parity figure; not a product.
        .target(name: "LightningReference", dependencies: ["LightningTensor"]),
        .target(
            name: "LightningTestSupport",
            dependencies: ["LightningTensor", "LightningDistributed", "LightningCUDA", "COpenBLAS", "LightningReference"],
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
        .testTarget(name: "LightningCUDATests", dependencies: ["LightningCUDA", "LightningTestSupport"]),
        .testTarget(name: "SafetensorsTests", dependencies: ["Safetensors", "Checksums", "LightningTestSupport"]),
        .testTarget(name: "ChecksumsTests", dependencies: ["Checksums"]),
        .testTarget(
            name: "LightningInteropTests",
            dependencies: ["LightningInterop", "LightningTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "CMPITests", dependencies: ["CMPI"]),
        .testTarget(name: "LightningDistributedTests", dependencies: ["LightningDistributed", "LightningTestSupport"]),
        .testTarget(
            name: "LightningTests",
            dependencies: ["Lightning", "LightningTestSupport", "TensorBoardEvents", .product(name: "Logging", package: "swift-log"),
                           .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LightningDataTests",
            dependencies: ["LightningData", "LightningTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "LightningCLITests", dependencies: ["LightningCLI", "LightningTestSupport"]),
        .testTarget(name: "LightningPlotTests", dependencies: ["LightningPlot", "LightningTestSupport"]),
        .testTarget(
            name: "TensorBoardEventsTests",
            dependencies: ["TensorBoardEvents", "Checksums", "LightningTestSupport", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
    ],
    // Every target, as users' packages default to: Swift 6 with complete concurrency checking.
    swiftLanguageModes: [.v6]
)
