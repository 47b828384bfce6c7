import Testing

@testable import DriftExplorer

@Suite struct ConceptSuggesterTests {
    /// Levenshtein distances of textbook pairs.
    @Test(arguments: [("kitten", "sitting", 3), ("flaw", "lawn", 2), ("abc", "abc", 0), ("a", "", 1), ("", "abc", 3)])
    func distance(a: String, b: String, expected: Int) {
        var previous = [Int](repeating: 0, count: a.count + 1)
        var row = previous
        #expect(ConceptSuggester.distance(Array(a), Array(b), &previous, &row) == expected)
    }

    @Test func exactThenPrefixThenEditDistance() {
        let s = ConceptSuggester(["doctors", "Doctor", "doc", "dog", "cat", "doctorate"])
        // "Doctor" exact ignoring case; prefixes shorter first; "doc" 3 edits away (≤ 7 / 2); "dog" 4, "cat" 6: too far.
        #expect(s.suggestions(for: "doctor") == ["Doctor", "doctors", "doctorate", "doc"])
        #expect(s.suggestions(for: "doctor", limit: 2) == ["Doctor", "doctors"])
        #expect(s.suggestions(for: "") == [])
        #expect(s.suggestions(for: "dgo") == ["doc", "dog"])
    }
}
