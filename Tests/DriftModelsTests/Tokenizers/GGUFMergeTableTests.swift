import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// The merge table read on every worker: ranks, first-line-wins and the first bad line reported, as read in order.
@Suite struct GGUFMergeTableTests {
    /// Tokens `t0 … t{n-1}` and every `ti tj` pair's concatenation, so thousands of lines split over the workers.
    static func vocabulary(_ n: Int) -> (tokens: [String], lines: [String]) {
        var tokens = (0..<n).map { "t\($0)" }
        var lines: [String] = []
        for i in 0..<n {
            for j in 0..<n {
                tokens.append("t\(i)t\(j)")
                lines.append("t\(i) t\(j)")
            }
        }
        return (tokens, lines)
    }

    @Test func ranksAndMergedIDsMatchAReadingInOrder() throws {
        let (tokens, lines) = Self.vocabulary(100)
        let vocabulary = Dictionary(uniqueKeysWithValues: tokens.enumerated().map { (TokenKey($1), $0) })
        let doubled = lines + lines.prefix(50)  // a pair listed again later keeps its first rank
        let table = try GGUFMergeTable.build(doubled, vocabulary: vocabulary, path: nil)
        #expect(table.count == lines.count)
        for (rank, line) in lines.enumerated() {
            let parts = line.split(separator: " ")
            let a = try #require(vocabulary[TokenKey(String(parts[0]))])
            let b = try #require(vocabulary[TokenKey(String(parts[1]))])
            let merge = try #require(table[BPEModel.key(Int32(a), Int32(b))])
            #expect(merge.rank == Int32(rank))
            #expect(merge.id == Int32(try #require(vocabulary[TokenKey(String(parts[0]) + String(parts[1]))])))
        }
    }

    @Test func theFirstBadLineIsReported() throws {
        let (tokens, lines) = Self.vocabulary(100)
        let vocabulary = Dictionary(uniqueKeysWithValues: tokens.enumerated().map { (TokenKey($1), $0) })
        for bad in ["t1  t2", "t1", "t1 t2 t3", "t1 unknown", "", " t1"] {
            var edited = lines
            edited[9_000] = "t5 nope"
            edited[7_321] = bad
            let error = #expect(throws: DriftError.self) {
                try GGUFMergeTable.build(edited, vocabulary: vocabulary, path: "/m.gguf")
            }
            #expect(error?.description.contains("entry 7321 ") == true, "\(bad): \(error?.description ?? "")")
        }
    }
}
