// swift-tools-version: 6.0
// Dequantization and quantizer throughput (release build, outside the unit tests):
//   cd Benchmarks/QuantBench && swift run -c release QuantBench [folder written by dump_gguf_tensors.py]
import PackageDescription

let package = Package(
    name: "QuantBench",
    dependencies: [.package(name: "EmbeddingDrift", path: "../..")],
    targets: [
        .executableTarget(
            name: "QuantBench",
            dependencies: [
                .product(name: "DriftModels", package: "EmbeddingDrift"),
                .product(name: "DriftCore", package: "EmbeddingDrift"),
            ]
        )
    ]
)
