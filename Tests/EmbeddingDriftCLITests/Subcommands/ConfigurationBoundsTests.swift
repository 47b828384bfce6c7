import Foundation
import TestSupport
import Testing

/// Absurd counts and widths in config.json are one-line errors naming config.json, never a crash (they were
/// SIGABRT/SIGSEGV/SIGILL with a Swift backtrace before ModelConfiguration bounded every size before use).
///
/// They run the built executable in a child process, so a crash fails the test instead of the test run.
@Suite
struct ConfigurationBoundsTests {
    /// A copy of fixture `architecture` whose config.json has `key` set to `value`.
    static func hostileCopy(_ architecture: String, _ key: String, _ value: Int, in folder: URL) throws -> URL {
        let source = ExtractTests.checkpoint(architecture)
        let copy = folder.appendingPathComponent("\(architecture)-\(key)")
        try FileManager.default.copyItem(at: source, to: copy)
        let configURL = copy.appendingPathComponent("config.json")
        var config = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        config[key] = value
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        return copy
    }

    @Test(arguments: [
        ("llama", "num_hidden_layers", 2_147_483_647),
        ("gpt2", "n_layer", Int.max),
        ("bert", "hidden_size", Int.max),
        ("llama", "hidden_size", Int.max),
        ("llama", "num_attention_heads", Int.max),
        ("llama", "intermediate_size", Int.max),
        ("llama", "vocab_size", Int.max),
    ])
    func absurdConfigValuesAreOneLineErrors(architecture: String, key: String, value: Int) throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try Self.hostileCopy(architecture, key, value, in: folder)
        let vocabulary = try ExtractTests.vocabularyFile(for: ExtractTests.checkpoint(architecture), in: folder).url
        for command in [
            ["inspect", model.path],
            ["extract", model.path, "--vocab", vocabulary.path, "--out", folder.appendingPathComponent("out").path],
        ] {
            let outcome = try ExecutableRunner.run(command)
            #expect(outcome.status == 1, "\(command[0]) \(key)=\(value): status \(outcome.status) \(outcome.stderr)")
            #expect(outcome.stderr.contains("config.json"), "\(command[0]) \(key)=\(value): \(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr.prefix(2000))")
        }
    }
}
