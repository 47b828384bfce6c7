import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// A regex in a tokenizer.json that backtracks catastrophically stops with a one-line error naming the file,
/// instead of never returning (issue 18).
@Suite struct TextPatternBudgetTests {
    static let path = "/models/evil/tokenizer.json"

    static func tokenizer(splitRegex: String) throws -> any Tokenizer {
        let pattern = splitRegex.replacingOccurrences(of: "\\", with: "\\\\")
        let json = """
            {"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "\(pattern)"}, "behavior": "Isolated", \
            "invert": false},
             "model": {"type": "BPE", "vocab": {"a": 0, "!": 1}, "merges": []}}
            """
        return try TokenizerLoader.load(tokenizerJSONData: Data(json.utf8), path: path)
    }

    @Test func catastrophicBacktrackingIsAOneLineErrorNamingTheFile() throws {
        let tokenizer = try Self.tokenizer(splitRegex: "(a+)+$")
        let text = String(repeating: "a", count: 5_000) + "!"
        let start = Date()
        let error = #expect(throws: DriftError.self) { try tokenizer.encode(text, addSpecialTokens: false) }
        let seconds = Date().timeIntervalSince(start)
        #expect(seconds < 5, "took \(seconds) s")
        let message = error?.description ?? ""
        #expect(message.hasPrefix(Self.path))
        #expect(message.contains("matching budget"))
        #expect(!message.contains("\n"))
        #expect(message.count < 400, "\(message.count) characters")
    }

    @Test func backtrackingInAReplaceNormalizerIsAnErrorToo() throws {
        let json = """
            {"normalizer": {"type": "Replace", "pattern": {"Regex": "(a|aa)+b"}, "content": "x"},
             "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}}
            """
        let tokenizer = try TokenizerLoader.load(tokenizerJSONData: Data(json.utf8), path: Self.path)
        let error = #expect(throws: DriftError.self) {
            try tokenizer.encode(String(repeating: "a", count: 200), addSpecialTokens: false)
        }
        #expect(error?.description.hasPrefix(Self.path) == true)
    }

    @Test func linearPatternsOnLongTextsStayWithinTheBudget() throws {
        // The general engine with GPT-2's split pattern over 120,000 characters: far from either budget.
        let regex = try FallbackRegex(TextPattern.gpt2Source, path: nil)
        let text = Array(String(repeating: "The quick brown fox's 12345 jumps,   over\n ", count: 3_000).unicodeScalars)
        #expect(try regex.matches(in: text).count > 20_000)
        let spaces = Array((String(repeating: " ", count: 100_000) + "x").unicodeScalars)
        #expect(try FallbackRegex(#"\s+(?!\S)|\s+"#, path: nil).matches(in: spaces).count == 2)
        let letters = Array(String(repeating: "a", count: 100_000).unicodeScalars)
        #expect(try FallbackRegex(#" ?[^\s\p{L}\p{N}]+"#, path: nil).matches(in: letters).isEmpty)
    }
}
