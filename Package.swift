// swift-tools-version: 6.0
import PackageDescription

/// The same settings on every target: Swift 6 mode with the upcoming features we hold ourselves to.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

#if os(Linux)
    let blasDependency: [Target.Dependency] = ["COpenBLAS"]
#else
    let blasDependency: [Target.Dependency] = []
#endif

let package = Package(
    name: "EmbeddingDrift",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "embedding-drift", targets: ["EmbeddingDriftCLI"]),
        .library(name: "DriftCore", targets: ["DriftCore"]),
        .library(name: "DriftModels", targets: ["DriftModels"]),
        .library(name: "DriftAnalysis", targets: ["DriftAnalysis"]),
        .library(name: "DriftReport", targets: ["DriftReport"]),
        .library(name: "DriftPipeline", targets: ["DriftPipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        // The explorer's per-connection request limits are a NIO channel handler (already Hummingbird's dependencies).
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        // The guard in front of the HTTP decoder is a child channel of its own, whose protocol takes a Logger.
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]
        ),
        .target(
            name: "CKernels",
            path: "Sources/CKernels"
        ),
        .target(
            name: "DriftCore",
            dependencies: blasDependency + ["CKernels"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DriftModels",
            dependencies: ["DriftCore"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DriftAnalysis",
            dependencies: ["DriftCore", "CKernels"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DriftReport",
            dependencies: ["DriftCore", "DriftAnalysis"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DriftPipeline",
            dependencies: ["DriftCore", "DriftModels", "DriftAnalysis", "DriftReport"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DriftExplorer",
            dependencies: [
                "DriftCore", "DriftAnalysis", "DriftReport", "DriftModels",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "EmbeddingDriftCLI",
            dependencies: [
                "DriftCore", "DriftModels", "DriftAnalysis", "DriftReport", "DriftExplorer", "DriftPipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        // Shared by the test targets that run the built executable.
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DriftCoreTests",
            dependencies: ["DriftCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DriftModelsTests",
            dependencies: ["DriftModels", "DriftCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DriftAnalysisTests",
            dependencies: ["DriftAnalysis", "DriftCore", "CKernels"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DriftReportTests",
            dependencies: ["DriftReport", "DriftAnalysis", "DriftCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DriftPipelineTests",
            dependencies: ["DriftPipeline", "DriftAnalysis", "DriftModels", "DriftCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DriftExplorerTests",
            dependencies: [
                "DriftExplorer", "DriftAnalysis", "DriftCore", "DriftModels", "DriftReport", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EmbeddingDriftCLITests",
            dependencies: [
                "EmbeddingDriftCLI", "DriftCore", "DriftModels", "DriftAnalysis", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)

// The fuzzing harness (Fuzz/, Scripts/fuzz.sh): libFuzzer targets, declared only when EMBEDDING_DRIFT_FUZZ=1 so
// that ordinary builds never see them. Scripts/fuzz.sh builds them with `--sanitize fuzzer --sanitize address`.
if Context.environment["EMBEDDING_DRIFT_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzSafetensors", ["DriftModels"]),
        ("FuzzGGUF", ["DriftModels"]),
        ("FuzzNpy", ["DriftCore"]),
        ("FuzzConfig", ["DriftModels"]),
        ("FuzzTokenizer", ["DriftModels"]),
        ("FuzzVocabulary", ["DriftModels"]),
        ("FuzzExperimentYAML", ["DriftCore", .product(name: "Yams", package: "Yams")]),
    ]
    for target in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: target.name,
                dependencies: target.dependencies,
                path: "Fuzz/\(target.name)",
                swiftSettings: strictSettings + [.unsafeFlags(["-parse-as-library"])]
            ))
    }
}
