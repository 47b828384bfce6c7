import Foundation

/// The text of single tokens, as a tokenizer's decoder shows one token.
///
/// Byte-level pieces are turned back into their UTF-8 bytes, SentencePiece's `▁` shows as a space and `<0xNN>` as
/// its byte, WordPiece's `##` continuation mark is dropped. A token that is not valid UTF-8 alone (part of a character) shows the replacement character.
public enum TokenText {
    /// The text of each of `ids` under `tokenizer`; an id the tokenizer does not know shows as `<id>`.
    public static func texts(_ ids: Set<Int>, tokenizer: any Tokenizer) -> [Int: String] {
        var pieces: [Int: String] = [:]
        var added: Set<Int> = []
        if let pipeline = tokenizer as? PipelineTokenizer {
            for (key, id) in pipeline.model.vocabulary where ids.contains(id) { pieces[id] = key.string }
            for token in pipeline.addedVocabulary.tokens where ids.contains(token.id) {
                pieces[token.id] = String(String.UnicodeScalarView(token.content))
                added.insert(token.id)
            }
        }
        let byteLevel = tokenizer.kindDescription.lowercased().contains("byte-level")
        var result: [Int: String] = [:]
        for id in ids {
            guard let piece = pieces[id] else {
                result[id] = "<\(id)>"
                continue
            }
            result[id] = added.contains(id) ? piece : decode(piece, byteLevel: byteLevel)
        }
        return result
    }

    /// One vocabulary piece as text.
    static func decode(_ piece: String, byteLevel: Bool) -> String {
        if byteLevel {
            var bytes: [UInt8] = []
            for scalar in piece.unicodeScalars {
                if let byte = byteOfScalar[scalar] { bytes.append(byte) } else { bytes += Array(String(scalar).utf8) }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        if piece.count == 6, piece.hasPrefix("<0x"), piece.hasSuffix(">"),
            let byte = UInt8(piece.dropFirst(3).dropLast(), radix: 16)
        {
            return String(decoding: [byte], as: UTF8.self)
        }
        if piece.hasPrefix("##") { return String(piece.dropFirst(2)) }
        return piece.replacingOccurrences(of: "\u{2581}", with: " ")
    }

    private static let byteOfScalar: [Unicode.Scalar: UInt8] = Dictionary(
        uniqueKeysWithValues: ByteLevelAlphabet.scalars.enumerated().map { ($1, UInt8($0)) })
}
