import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Error messages about hostile files quote at most ~120 characters of the input, escaped, on one line, and name
/// the file (issue 18).
@Suite struct HostileInputMessageTests {
    /// One line, bounded, without control characters.
    static func expectTidy(_ message: String, path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(message.hasPrefix(path), "\(message.prefix(300))", sourceLocation: sourceLocation)
        #expect(message.count < 500, "\(message.count) characters", sourceLocation: sourceLocation)
        #expect(
            !message.unicodeScalars.contains { $0.properties.generalCategory == .control },
            "\(message.debugDescription.prefix(300))", sourceLocation: sourceLocation)
    }

    static func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID())-\(name)")
        try Data(bytes).write(to: url)
        return url
    }

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    /// A GGUF v3 header with the metadata entries `(key bytes, uint32 value)` and no tensors.
    static func gguf(_ entries: [[UInt8]]) -> [UInt8] {
        var bytes = Array("GGUF".utf8) + le(UInt32(3)) + le(UInt64(0)) + le(UInt64(entries.count))
        for key in entries { bytes += le(UInt64(key.count)) + key + le(UInt32(4)) + le(UInt32(7)) }
        return bytes
    }

    @Test func ggufKeyOfBinaryBytesIsQuotedShortAndEscaped() throws {
        var key = [UInt8]()
        for i in 0..<118_000 { key.append([0x00, 0x1B, 0x0A, 0x41, 0x07][i % 5]) }
        let url = try Self.temporaryFile("dup.gguf", Self.gguf([key, key]))
        defer { try? FileManager.default.removeItem(at: url) }
        let error = #expect(throws: DriftError.self) { try GGUFFile(path: url.path) }
        let message = error?.description ?? ""
        #expect(message.contains("duplicate metadata key"))
        #expect(message.contains("\\u{1B}"))
        Self.expectTidy(message, path: url.path)
    }

    @Test func ggufTruncatedValueAfterAHugeKeyIsTidy() throws {
        let key = [UInt8](repeating: 0x1B, count: 50_000)
        var bytes = Self.gguf([key])
        bytes.removeLast(2)  // the value is cut short
        let url = try Self.temporaryFile("cut.gguf", bytes)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = #expect(throws: DriftError.self) { try GGUFFile(path: url.path) }
        Self.expectTidy(error?.description ?? "", path: url.path)
    }

    @Test func tokenizerValuesAreQuotedShort() throws {
        let path = "/models/x/tokenizer.json"
        let huge = String(repeating: "Bert\\u001b\\n", count: 400_000)  // 4.8 MB of JSON, escapes included
        for json in [
            #"{"normalizer": {"type": "\#(huge)"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}"#,
            #"{"pre_tokenizer": {"type": "\#(huge)"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}"#,
            #"{"model": {"type": "\#(huge)"}}"#,
            #"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [], "unk_token": "\#(huge)"}}"#,
            #"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["\#(huge) b"]}}"#,
            #"{"model": {"type": "BPE", "vocab": {"\#(huge)": "x"}, "merges": []}}"#,
        ] {
            let error = #expect(throws: DriftError.self) {
                try TokenizerLoader.load(tokenizerJSONData: Data(json.utf8), path: path)
            }
            Self.expectTidy(error?.description ?? "", path: path)
        }
    }

    /// Token ids beyond 32 bits are refused by name (the fuzzer's tokenizer.json had a vocab id of 2^32 that a merge
    /// used, and converting it trapped).
    @Test func tokenIDsBeyond32BitsAreRefused() throws {
        let path = "/models/x/tokenizer.json"
        for json in [
            #"{"model": {"type": "BPE", "vocab": {"a": 4294967296, "b": 1, "ab": 2}, "merges": ["a b"]}}"#,
            #"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2147483648}, "merges": ["a b"]}}"#,
            #"{"added_tokens": [{"id": 9223372036854775807, "content": "<s>"}], "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}}"#,
        ] {
            let error = #expect(throws: DriftError.self) {
                try TokenizerLoader.load(tokenizerJSONData: Data(json.utf8), path: path)
            }
            #expect(error?.description.contains("2147483647") == true, "\(error?.description ?? "")")
            Self.expectTidy(error?.description ?? "", path: path)
        }
        // The fuzzer's input itself (Fuzz/seeds/tokenizer).
        let seed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/seeds/tokenizer/regression-vocab-id-beyond-32-bits.json")
        #expect(throws: DriftError.self) {
            try TokenizerLoader.load(tokenizerJSONData: try Data(contentsOf: seed), path: seed.path)
        }
    }

    @Test func vocabularyTermsAreQuotedShort() throws {
        let term = String(repeating: "x\u{1B}", count: 500_000)
        let csv = "\(term),a\n\(term),b\n"
        let path = "/data/concepts.csv"
        let error = #expect(throws: DriftError.self) { try Vocabulary.parseDelimited(csv, name: "v", path: path) }
        #expect(error?.description.contains("occurs twice") == true)
        Self.expectTidy(error?.description ?? "", path: path)
    }

    @Test func safetensorsNamesAndShapesAreQuotedShort() throws {
        let name = String(repeating: "w\\u0000", count: 200_000)
        let shape = Array(repeating: "1", count: 100_000).joined(separator: ",")
        let header = #"{"\#(name)": {"dtype": "F32", "shape": [\#(shape), 2], "data_offsets": [0, 4]}}"#
        let bytes = Self.le(UInt64(header.utf8.count)) + Array(header.utf8) + [0, 0, 0, 0]
        let url = try Self.temporaryFile("w.safetensors", bytes)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = #expect(throws: DriftError.self) { try SafetensorsFile(path: url.path) }
        Self.expectTidy(error?.description ?? "", path: url.path)
    }
}
