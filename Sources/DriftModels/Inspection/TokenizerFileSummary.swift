import DriftCore
import Foundation

/// What a checkpoint's `tokenizer.json` declares, read without building the tokenizer: its model kind and
/// vocabulary size (added tokens included, as `tokenizers`' `get_vocab_size(with_added_tokens=True)` counts them).
public struct TokenizerFileSummary: Sendable, Equatable, Codable {
    /// The file read.
    public var path: String
    /// `model.type` (`BPE`, `WordPiece`, `Unigram`, `WordLevel`).
    public var modelType: String
    /// A short kind, as ``Tokenizer/kindDescription`` names it (`byte-level BPE`, `SentencePiece BPE`, `WordPiece`…).
    public var kind: String
    /// Distinct tokens of the model's vocabulary and the added tokens.
    public var vocabularySize: Int
    /// The number of added tokens listed.
    public var addedTokenCount: Int

    /// The `tokenizer.json` of the checkpoint folder `folder`.
    ///
    /// - Throws: ``DriftCore/DriftError`` of kind `.missing` naming the expected file when the folder has none.
    public static func locate(folder: String) throws -> String {
        let path = URL(fileURLWithPath: folder).appendingPathComponent("tokenizer.json").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw DriftError(
                .missing, "no tokenizer.json: the checkpoint has no tokenizer this tool can read", path: path)
        }
        return path
    }

    /// Reads the summary of the `tokenizer.json` at `path`.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file when it is missing, not JSON, or has no `model`.
    public init(path: String) throws {
        let json = try JSONValue.read(path: path)
        guard let model = json["model"]?.objectValue, let type = model["type"]?.stringValue else {
            throw DriftError(.corruptFile, "tokenizer.json has no \"model\" with a \"type\"", path: path)
        }
        var tokens = Set<String>()
        switch model["vocab"] {
        case .object(let vocabulary)?:
            tokens.reserveCapacity(vocabulary.count)
            tokens.formUnion(vocabulary.keys)
        case .array(let pieces)?:
            for piece in pieces { if let token = piece.arrayValue?.first?.stringValue { tokens.insert(token) } }
        default:
            throw DriftError(.corruptFile, "tokenizer.json has no model vocabulary", path: path)
        }
        let added = json["added_tokens"]?.arrayValue ?? []
        for token in added { if let content = token["content"]?.stringValue { tokens.insert(content) } }

        func mentionsByteLevel(_ value: JSONValue?) -> Bool {
            guard let value else { return false }
            if value["type"]?.stringValue == "ByteLevel" { return true }
            return (value["pretokenizers"]?.arrayValue ?? []).contains { $0["type"]?.stringValue == "ByteLevel" }
        }
        let kind: String
        switch type {
        case "BPE":
            if mentionsByteLevel(json["pre_tokenizer"]) || mentionsByteLevel(json["decoder"]) {
                kind = "byte-level BPE"
            } else {
                kind = "SentencePiece BPE"
            }
        default:
            kind = type
        }
        self.path = path
        self.modelType = type
        self.kind = kind
        self.vocabularySize = tokens.count
        self.addedTokenCount = added.count
    }
}
