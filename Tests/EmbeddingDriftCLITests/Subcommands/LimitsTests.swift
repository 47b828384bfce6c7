import Foundation
import TestSupport
import Testing

@testable import EmbeddingDriftCLI

/// Absurd settings and hostile experiment files are refused with the limit in the message, before any work
/// (issue 18): YAML nesting that used to overflow the parser's stack, and counts that used to run for ever.
@Suite struct LimitsTests {
    static let head = "output: out\nvariants:\n  - {name: a, model: /m}\n  - {name: b, model: /n}\n"

    @Test func deepFlowSequenceIsRefusedBeforeParsing() throws {
        let text = Self.head + "layers: " + String(repeating: "[", count: 100_000) + "\n"
        #expect(ExperimentFileLimits.firstLineTooDeep(text) == 5)
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("deep-flow.yaml")
        try Data(text.utf8).write(to: file)
        let outcome = try ExecutableRunner.run(["run", file.path, "--print-command"])
        #expect(outcome.status == 1, "\(outcome.stderr.prefix(500))")
        #expect(outcome.stderr.contains(file.path) && outcome.stderr.contains("nested more than 64 levels"))
        #expect(outcome.stderr.split(separator: "\n").count == 1)
    }

    @Test(arguments: [(3_000, "the limit is 1048576 bytes"), (1_000, "line 69: nested more than 64 levels")])
    func deepBlockMappingIsRefusedBeforeParsing(depth: Int, message: String) throws {
        // One more space of indentation per level: 3,000 levels take 4.5 MB (over the size limit), 1,000 take 0.5 MB.
        var text = Self.head + "analysis:\n"
        for level in 1...depth { text += String(repeating: " ", count: level) + "k\(level):\n" }
        #expect(ExperimentFileLimits.firstLineTooDeep(text) == 69)
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("deep-block.yaml")
        try Data(text.utf8).write(to: file)
        let outcome = try ExecutableRunner.run(["run", file.path, "--print-command"])
        #expect(outcome.status == 1, "\(outcome.stderr.prefix(500))")
        #expect(outcome.stderr.contains(message), "\(outcome.stderr.prefix(500))")
    }

    @Test func deepBlockSequencesAndQuotedBracketsAreCountedRight() {
        let dashes = Self.head + "templates:\n" + String(repeating: "- ", count: 200) + "x\n"
        #expect(ExperimentFileLimits.firstLineTooDeep(dashes) == 6)
        // Brackets inside quotes and comments are text, not nesting.
        let quoted =
            Self.head + "template: \"" + String(repeating: "[", count: 500) + " {term}\"  # "
            + String(repeating: "{", count: 500) + "\ntemplates: ['" + String(repeating: "[", count: 100)
            + "{term}', \"]]]\\\"[[[{term}\"]\n"
        #expect(ExperimentFileLimits.firstLineTooDeep(quoted) == nil)
        // Hiding brackets behind an unbalanced closing quote inside a plain scalar does not work.
        let sneaky = Self.head + "layers: [a\"b, " + String(repeating: "[", count: 100) + "\n"
        #expect(ExperimentFileLimits.firstLineTooDeep(sneaky) == 5)
        // A comment ends at any line break the YAML parser knows: brackets after a carriage return (the fuzzer's
        // stack overflow, Fuzz/seeds), NEL, LS or PS are nesting, not comment.
        for lineBreak in ["\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}"] {
            let hidden = Self.head + "layers: # comment" + lineBreak + " " + String(repeating: "[", count: 100) + "\n"
            #expect(ExperimentFileLimits.firstLineTooDeep(hidden) != nil, "\(lineBreak.unicodeScalars.map(\.value))")
        }
        // A `"` inside a plain scalar is a character, not a quote: the brackets after it nest (the fuzzer's second
        // stack overflow began `templates: $["The concept…`), whether the next key, or a continuation line, follows.
        let deep = String(repeating: "[", count: 100)
        for plain in ["templates: $[\"The x\nb: " + deep, "a: x \"y\nb: " + deep, "a: x\n  \"y\nb: " + deep] {
            #expect(ExperimentFileLimits.firstLineTooDeep(Self.head + plain + "\n") != nil, "\(plain.prefix(30))")
        }
        // A real experiment (the init example) is far from the limit.
        #expect(ExperimentFileLimits.firstLineTooDeep(Self.head + "analysis:\n  k: 5\numap:\n  epochs: 50\n") == nil)
    }

    /// The inputs the fuzzer found overflowing the parser's stack (`Fuzz/seeds/experiment/regression-*.yaml`) are
    /// refused; the ordinary seeds pass.
    @Test func fuzzSeedsAreJudgedRight() throws {
        let seeds = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/seeds/experiment")
        let files = try FileManager.default.contentsOfDirectory(at: seeds, includingPropertiesForKeys: nil)
        #expect(files.filter { $0.lastPathComponent.hasPrefix("regression-") }.count >= 2)
        for file in files where file.pathExtension == "yaml" {
            let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            let refused = ExperimentFileLimits.firstLineTooDeep(text) != nil
            #expect(refused == file.lastPathComponent.hasPrefix("regression-"), "\(file.lastPathComponent)")
        }
    }

    @Test func hugeFileIsRefusedBeforeParsing() throws {
        let text = Self.head + "# " + String(repeating: "x", count: 2 << 20) + "\n"
        #expect(throws: (any Error).self) { try ExperimentFileLimits.check(text, path: "/e.yaml") }
    }

    @Test func absurdCountsInAnExperimentFileNameTheLimit() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [(String, String)] = [
            ("analysis:\n  bootstrap: 2147483648\n", "line 6, column 14: 'bootstrap' must be at most 1000000"),
            ("analysis:\n  permutations: 2147483648\n", "'permutations' must be at most 1000000"),
            ("analysis:\n  k: 9223372036854775807\n", "'k' must be at most 10000"),
            ("umap:\n  epochs: 2147483648\n", "'umap.epochs' must be at most 10000"),
        ]
        for (index, (tail, message)) in cases.enumerated() {
            let file = folder.appendingPathComponent("count-\(index).yaml")
            try Data((Self.head + tail).utf8).write(to: file)
            let start = Date()
            let outcome = try ExecutableRunner.run(["run", file.path, "--print-command"])
            #expect(Date().timeIntervalSince(start) < 30)
            #expect(outcome.status == 1, "\(message): \(outcome.stderr)")
            #expect(outcome.stderr.contains(message), "\(message): \(outcome.stderr)")
        }
    }

    @Test func absurdCountsAsFlagsNameTheLimit() throws {
        let cases: [([String], String)] = [
            (["--bootstrap", "2147483648"], "--bootstrap must be at most 1000000"),
            (["--permutations", "2147483648"], "--permutations must be at most 1000000"),
            (["--k", "9223372036854775807"], "--k must be at most 10000"),
            (["--umap-epochs", "2147483648"], "--umap-epochs must be at most 10000"),
        ]
        for (flags, message) in cases {
            for command in [["compare", "a=/m", "b=/n", "--out", "/tmp/never"], ["analyze", "/tmp/never"]] {
                let outcome = try ExecutableRunner.run(command + flags)
                #expect(outcome.status == 64, "\(command) \(flags): \(outcome.stderr)")
                #expect(outcome.stderr.contains(message), "\(command) \(flags): \(outcome.stderr)")
            }
        }
    }
}
