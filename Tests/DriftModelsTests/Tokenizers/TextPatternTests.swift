import Foundation
import Testing

@testable import DriftModels

/// Split patterns on the general regex engine (Oniguruma semantics rebuilt on ICU) and the hand-written scanners
/// must cut text exactly where `tokenizers`' `Split` does.
@Suite struct TextPatternTests {
    @Test func fallbackRegexSplitsLikeTokenizers() throws {
        let url = try TokenizerFixtures.root().appendingPathComponent("regex-split.json")
        let root = try Data(contentsOf: url).withUnsafeBytes { try TokenizerJSON.parse($0.bindMemory(to: UInt8.self)) }
        let texts = root["texts"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let cases = root["cases"]?.arrayValue ?? []
        #expect(texts.count > 80)
        #expect(cases.count == 5)
        for c in cases {
            let source = try #require(c["pattern"]?.stringValue)
            let pattern = try TextPattern.regex(source: source, path: nil)
            if case .regex = pattern {} else { Issue.record("\(source) should use the general engine") }
            let expected = c["pieces"]?.arrayValue ?? []
            var pass = 0
            for (i, text) in texts.enumerated() {
                let want = expected[i].arrayValue?.compactMap(\.stringValue).map { Array($0.unicodeScalars) } ?? []
                let got = try PreTokenizer.split(pattern, .isolated, invert: false)
                    .apply([TextPiece(scalars: Array(text.unicodeScalars), atStart: true)]).map(\.scalars)
                if got == want {
                    pass += 1
                } else {
                    Issue.record("\(source) on \(text.debugDescription): \(got) ≠ \(want)")
                }
            }
            #expect(pass == texts.count)
        }
    }

    @Test func knownPatternsUseScanners() throws {
        if case .gpt2 = try TextPattern.regex(source: TextPattern.gpt2Source, path: nil) {
        } else {
            Issue.record("gpt2")
        }
        if case .cl100k(3) = try TextPattern.regex(source: TextPattern.llama3Source, path: nil) {
        } else {
            Issue.record("llama3")
        }
        if case .cl100k(1) = try TextPattern.regex(source: TextPattern.qwen2Source, path: nil) {
        } else {
            Issue.record("qwen2")
        }
    }

    @Test func scannersAgreeWithTheGeneralEngineOnTheCorpus() throws {
        // The same pattern through both engines: an independent check of the scanners beyond the parity fixtures.
        let corpus = try TokenizerFixtures.corpus()
        for (scanner, source) in [
            (TextPattern.gpt2, TextPattern.gpt2Source),
            (.cl100k(maxDigits: 3), TextPattern.llama3Source),
            (.cl100k(maxDigits: 1), TextPattern.qwen2Source),
        ] {
            let general = TextPattern.regex(try FallbackRegex(source, path: nil))
            for text in corpus {
                let s = Array(text.unicodeScalars)
                #expect(try scanner.matches(in: s) == general.matches(in: s), "\(source) on \(text.debugDescription)")
            }
        }
    }
}
