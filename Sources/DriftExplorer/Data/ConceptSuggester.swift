/// Suggests known concepts for what a user typed: exact matches (ignoring case) first, then prefix matches, then the
/// closest by edit distance.
package struct ConceptSuggester: Sendable {
    /// The known concepts, in row order.
    package let concepts: [String]
    private let folded: [[Character]]

    /// Creates a suggester over `concepts`.
    package init(_ concepts: [String]) {
        self.concepts = concepts
        folded = concepts.map { Array($0.lowercased()) }
    }

    /// At most `limit` concepts for `query`, best first: case-insensitive exact, then prefix (shorter first), then
    /// by Levenshtein distance (ties in row order), each concept once.
    package func suggestions(for query: String, limit: Int = 8) -> [String] {
        let q = Array(query.lowercased())
        guard limit > 0, !q.isEmpty else { return [] }
        var out: [Int] = []
        var taken = Set<Int>()
        func take(_ i: Int) {
            if out.count < limit, taken.insert(i).inserted { out.append(i) }
        }
        for (i, c) in folded.enumerated() where c == q { take(i) }
        let prefixed = folded.indices.filter { folded[$0].starts(with: q) }.sorted {
            (folded[$0].count, $0) < (folded[$1].count, $1)
        }
        for i in prefixed { take(i) }
        if out.count < limit {
            var row = [Int](repeating: 0, count: q.count + 1)
            var previous = row
            let scored = folded.indices.filter { !taken.contains($0) }.map { i -> (Int, Int) in
                (Self.distance(q, folded[i], &previous, &row), i)
            }
            // Only reasonably close candidates: at most half the longer string's length away (rounded up).
            for (d, i) in scored.sorted(by: { $0 < $1 }) where d <= (Swift.max(q.count, folded[i].count) + 1) / 2 {
                take(i)
            }
        }
        return out.map { concepts[$0] }
    }

    /// Levenshtein distance of `a` and `b` (insertions, deletions, substitutions each cost 1), with caller-owned
    /// row buffers of length `a.count + 1`.
    package static func distance(
        _ a: [Character], _ b: [Character], _ previous: inout [Int], _ row: inout [Int]
    ) -> Int {
        for j in 0...a.count { previous[j] = j }
        for bi in 0..<b.count {
            row[0] = bi + 1
            for j in 1...Swift.max(1, a.count) where j <= a.count {
                let cost = a[j - 1] == b[bi] ? 0 : 1
                row[j] = Swift.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &row)
        }
        return previous[a.count]
    }
}
