import DriftCore
import Foundation

/// A byte-level BPE tokenizer from tiktoken ranks (`<base64 token> <rank>` lines), as Qwen ships them.
///
/// A pair is merged when the concatenation is a token; the pair whose concatenation has the lowest rank goes
/// first, leftmost on ties — tiktoken's algorithm, and what transformers' `TikTokenConverter` encodes as merges.
enum TiktokenRanks {
    /// - Parameters:
    ///   - file: the ranks file.
    ///   - pattern: the split regex.
    ///   - specialTokens: added special tokens and their ids.
    ///   - nfc: whether to NFC-normalize first (Qwen2's tokenizer.json does).
    static func tokenizer(file: URL, pattern: String, specialTokens: [(String, Int)], nfc: Bool) throws
        -> PipelineTokenizer
    {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw DriftError(.io, "cannot read the tiktoken ranks: \(error.localizedDescription)", path: file.path)
        }
        var tokens: [(bytes: [UInt8], rank: Int)] = []
        for (lineNumber, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let bytes = Data(base64Encoded: String(parts[0])), let rank = Int(parts[1]),
                rank >= 0
            else {
                throw DriftError(.corruptFile, "line \(lineNumber + 1) is not \"<base64> <rank>\"", path: file.path)
            }
            tokens.append((Array(bytes), rank))
        }
        let alphabet = ByteLevelAlphabet.scalars
        var vocab: [TokenKey: Int] = [:]
        vocab.reserveCapacity(tokens.count)
        var spelled: [[Unicode.Scalar]] = []
        spelled.reserveCapacity(tokens.count)
        for t in tokens {
            let s = t.bytes.map { alphabet[Int($0)] }
            spelled.append(s)
            vocab[TokenKey(s)] = t.rank
        }
        var merges: [UInt64: BPEModel.Merge] = [:]
        for (index, t) in tokens.enumerated() where t.bytes.count > 1 {
            let s = spelled[index]
            for k in 1..<s.count {
                guard let l = vocab[TokenKey(Array(s[..<k]))], let r = vocab[TokenKey(Array(s[k...]))] else { continue }
                merges[BPEModel.key(Int32(l), Int32(r))] = BPEModel.Merge(rank: Int32(t.rank), id: Int32(t.rank))
            }
        }
        let model = BPEModel(
            vocabulary: vocab, merges: merges, unknownID: nil, continuingSubwordPrefix: nil,
            endOfWordSuffix: nil, fuseUnknown: false, byteFallback: false, ignoreMerges: false)
        let added = specialTokens.map {
            AddedToken(
                id: $0.1, content: Array($0.0.unicodeScalars), special: true, singleWord: false, lstrip: false,
                rstrip: false, normalized: false)
        }
        let split = try TextPattern.regex(source: pattern, path: file.path)
        return try PipelineTokenizer(
            addedTokens: added, normalizer: nfc ? .nfc : nil,
            preTokenizer: .sequence([
                .split(split, .isolated, invert: false),
                .byteLevel(addPrefixSpace: false, useRegex: false),
            ]),
            model: .bpe(model), postProcessor: .identity, kindDescription: "byte-level BPE")
    }
}
