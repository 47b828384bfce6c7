package import Foundation

/// Runs the built `embedding-drift` executable (built beside the test bundles by `swift build --build-tests`), for
/// every test target that drives the tool end to end.
package enum ExecutableRunner {
    /// How a run ended.
    package struct Outcome: Sendable {
        package var status: Int32
        package var stdout: String
        package var stderr: String
    }

    /// The executable is not where the build puts it.
    package struct MissingExecutable: Error, CustomStringConvertible {
        package var path: String
        package var description: String { "build the executable first (swift build --build-tests): \(path)" }
    }

    /// The folder holding the build products.
    package static func productsFolder() -> URL {
        #if os(macOS)
            for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
                return bundle.bundleURL.deletingLastPathComponent()
            }
        #endif
        return Bundle.main.bundleURL
    }

    /// Runs `embedding-drift arguments…` and waits for it (with `environment` added to the process's own).
    ///
    /// - Throws: ``MissingExecutable`` when the tool is not built, or the error of starting the process.
    package static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let executable = productsFolder().appendingPathComponent("embedding-drift")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw MissingExecutable(path: executable.path)
        }
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
