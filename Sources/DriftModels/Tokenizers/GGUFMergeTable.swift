import DriftCore

/// The ranked merges of a GGUF byte-level BPE vocabulary (`tokenizer.ggml.merges`: `"left right"` lines, best first)
/// as the pair table ``BPEModel`` uses: (left id, right id) → (rank, merged id), the first line of a pair winning.
enum GGUFMergeTable {
    /// Builds the table, looking lines up on every worker (three vocabulary lookups a line, 280k lines for Llama 3).
    ///
    /// - Throws: ``DriftCore/DriftError`` for the first line (lowest rank) that is not two known tokens whose
    ///   concatenation is known, as a serial reading would.
    static func build(_ lines: [String], vocabulary: [TokenKey: Int], path: String?) throws -> [UInt64: BPEModel.Merge]
    {
        var found = [(key: UInt64, id: Int32)](repeating: (0, -1), count: lines.count)
        found.withUnsafeMutableBufferPointer { found in
            guard let base = found.baseAddress else { return }
            let output = UncheckedPointer(base)
            Parallel.forEachChunk(lines.count, minimumChunk: 4096) { range in
                for rank in range {
                    guard let (a, b, merged) = lookUp(lines[rank], vocabulary) else { continue }
                    output.pointer[rank] = (BPEModel.key(Int32(a), Int32(b)), Int32(merged))
                }
            }
        }
        var table: [UInt64: BPEModel.Merge] = [:]
        table.reserveCapacity(lines.count)
        for (rank, entry) in found.enumerated() {
            guard entry.id >= 0 else {
                throw DriftError(
                    .corruptFile,
                    "tokenizer.ggml.merges entry \(rank) (\(DriftError.quote(lines[rank]))) is not two known tokens",
                    path: path)
            }
            if table[entry.key] == nil { table[entry.key] = BPEModel.Merge(rank: Int32(rank), id: entry.id) }
        }
        return table
    }

    /// The ids of a line's two tokens and of their concatenation, or nil when the line is not exactly two tokens
    /// separated by one space or any of the three is not in the vocabulary.
    private static func lookUp(_ line: String, _ vocabulary: [TokenKey: Int]) -> (Int, Int, Int)? {
        let utf8 = line.utf8
        guard let space = utf8.firstIndex(of: 0x20) else { return nil }
        let rightStart = utf8.index(after: space)
        guard !utf8[rightStart...].contains(0x20) else { return nil }
        let left = String(line[..<space])
        let right = String(line[rightStart...])
        guard let a = vocabulary[TokenKey(left)], let b = vocabulary[TokenKey(right)],
            let merged = vocabulary[TokenKey(left + right)]
        else { return nil }
        return (a, b, merged)
    }
}
