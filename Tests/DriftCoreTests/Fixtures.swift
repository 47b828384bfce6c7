import Foundation
import Testing

/// The generated fixtures of DriftCoreTests (see Scripts/fixtures/).
enum Fixtures {
    /// The folder `Fixtures/<name>` copied into the test bundle.
    static func folder(_ name: String) throws -> URL {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return root.appendingPathComponent(name, isDirectory: true)
    }

    /// A fresh temporary folder, removed by the caller with `FileManager.default.removeItem`.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drift-core-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
