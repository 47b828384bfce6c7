import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Bad tokenizer files give one clear `DriftError` naming the file, never a crash.
@Suite struct TokenizerLoaderErrorTests {
    static func load(_ json: String) throws -> any Tokenizer {
        try TokenizerLoader.load(tokenizerJSONData: Data(json.utf8), path: "/models/x/tokenizer.json")
    }

    static func error(_ json: String) -> DriftError? {
        do {
            _ = try load(json)
            return nil
        } catch let e as DriftError {
            return e
        } catch {
            return nil
        }
    }

    @Test func missingTokenizerFileNamesTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("no-tokenizer-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let e = #expect(throws: DriftError.self) { try TokenizerLoader.load(folder: folder) }
        #expect(e?.kind == .missing)
        #expect(e?.description.contains("tokenizer.json") == true)
    }

    @Test(arguments: [
        ("", "not valid JSON"),
        ("{\"model\": ", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ("{\"version\": \"1.0\"}", "no \"model\""),
        ("{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}", "\"Unigram\" is not supported"),
        ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a b\"]}}", "missing from the vocab"),
        ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": -3}, \"merges\": []}}", "no valid id"),
        (
            "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [], \"unk_token\": \"<unk>\"}}",
            "unk_token"
        ),
        ("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0}}}", "unk_token \"[UNK]\""),
        (
            "{\"normalizer\": {\"type\": \"Precompiled\"}, \"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}",
            "normalizer \"Precompiled\""
        ),
        (
            "{\"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": \"(\"}}, "
                + "\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}", "cannot be compiled"
        ),
        (
            "{\"added_tokens\": [{\"content\": \"x\"}], \"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}",
            "added_tokens"
        ),
        (
            "{\"post_processor\": {\"type\": \"TemplateProcessing\", \"single\": [{\"SpecialToken\": {\"id\": \"<s>\"}}]}, "
                + "\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}", "special_tokens"
        ),
    ])
    func malformedFilesAreClearErrors(json: String, fragment: String) {
        let e = Self.error(json)
        #expect(e != nil, "no DriftError for \(json)")
        #expect(e?.path == "/models/x/tokenizer.json")
        #expect(e?.description.contains(fragment) == true, "\(e?.description ?? "nil") lacks \(fragment)")
        #expect(e?.description.contains("\n") == false)
    }

    @Test func jsonStringsAreKeptExactly() throws {
        // Escapes, a surrogate pair, a decomposed é and a leading U+FEFF must survive scalar for scalar.
        let text = ##"{"k": ["a\"b\\\/\n\t\u00e9\ud83d\ude00", "e\u0301", "\ufeff#", "#"], "n": -1.5e2, "b": true}"##
        let v = try Data(text.utf8).withUnsafeBytes { try TokenizerJSON.parse($0.bindMemory(to: UInt8.self)) }
        let strings = v["k"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(
            strings.map { Array($0.unicodeScalars) } == [
                Array("a\"b\\/\n\té😀".unicodeScalars), ["e", "\u{301}"], ["\u{FEFF}", "#"], ["#"],
            ])
        #expect(v["n"]?.doubleValue == -150)
        #expect(v["b"]?.boolValue == true)
        #expect(TokenKey("e\u{301}") != TokenKey("é"))
        #expect(TokenKey("\u{FEFF}#") != TokenKey("#"))
    }
}
