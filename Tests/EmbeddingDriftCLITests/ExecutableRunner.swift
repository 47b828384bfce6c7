import Foundation
import Testing

/// Runs the built `embedding-drift` executable (built beside the test bundle by `swift build --build-tests`).
enum ExecutableRunner {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The folder holding the build products.
    static func productsFolder() -> URL {
        #if os(macOS)
            for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
                return bundle.bundleURL.deletingLastPathComponent()
            }
        #endif
        return Bundle.main.bundleURL
    }

    /// Runs `embedding-drift arguments…` and waits for it (with `environment` added to the process's own).
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let executable = productsFolder().appendingPathComponent("embedding-drift")
        try #require(
            FileManager.default.isExecutableFile(atPath: executable.path),
            "build the executable first: \(executable.path)")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
