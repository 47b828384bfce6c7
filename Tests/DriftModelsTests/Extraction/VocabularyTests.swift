import DriftCore
import Foundation
import Testing

@testable import DriftModels

@Suite struct VocabularyTests {
    /// Every fixture file parses to what Python's csv/json modules read from it.
    @Test(arguments: ["plain.txt", "categories.csv", "quoted.csv", "seed-like.json"])
    func parsesLikeTheReference(file: String) throws {
        let expected = try #require(
            (try ExtractionFixtures.json("vocabularies/expected.json") as? [String: Any])?[file] as? [String: Any])
        let concepts = try #require(expected["concepts"] as? [[String: String]])
        let vocabulary = try Vocabulary.load(ExtractionFixtures.url("vocabularies/\(file)").path)
        #expect(vocabulary.name == expected["name"] as? String)
        #expect(vocabulary.concepts.count == concepts.count)
        #expect(
            vocabulary.concepts == concepts.map { Concept(term: $0["term"] ?? "?", category: $0["category"] ?? "?") })
    }

    @Test func bundledSeedMatchesTheSharedFile() throws {
        let seed = try #require(try ExtractionFixtures.json("seed.json") as? [String: Any])
        let vocabulary = try Vocabulary.load("seed-235")
        #expect(vocabulary.name == seed["name"] as? String)
        #expect(vocabulary.count == seed["count"] as? Int)
        // It satisfies the rules of every vocabulary (no duplicates, no empty term).
        _ = try Vocabulary(name: vocabulary.name, concepts: vocabulary.concepts)
        var counts: [String: Int] = [:]
        for concept in vocabulary.concepts { counts[concept.category, default: 0] += 1 }
        #expect(counts == seed["category_counts"] as? [String: Int])
        #expect(vocabulary.categories == ["factual", "abstract", "demographic", "scientific"])
        var text = ""
        for concept in vocabulary.concepts { text += "\(concept.term)\t\(concept.category)\n" }
        #expect(SHA256.hex(of: Array(text.utf8)) == seed["sha256_of_terms_and_categories"] as? String)
    }

    @Test func readsTheReferenceStudysMetadataShape() throws {
        let json =
            #"{"concepts": ["France", "woman", "entropy"], "categories": {"France": "factual", "woman": "demographic"}}"#
        let vocabulary = try Vocabulary.parseJSON(Data(json.utf8), defaultName: "meta", path: nil)
        #expect(
            vocabulary.concepts == [
                Concept(term: "France", category: "factual"), Concept(term: "woman", category: "demographic"),
                Concept(term: "entropy", category: "default"),
            ])
    }

    @Test func emptyVocabularyIsAnError() throws {
        let url = try ExtractionFixtures.url("vocabularies/no_header.csv")
        let error = try #require(throws: DriftError.self) { try Vocabulary.load(url.path) }
        #expect(error.description.contains("no concepts"))
        #expect(error.path == url.path)
        #expect(throws: DriftError.self) {
            try Vocabulary.parseJSON(Data(#"{"concepts": []}"#.utf8), defaultName: "x", path: nil)
        }
        #expect(throws: DriftError.self) { try Vocabulary.parseDelimited("# only a comment\n\n", name: "x", path: nil) }
    }

    @Test func duplicateTermIsNamed() throws {
        let error = try #require(throws: DriftError.self) {
            try Vocabulary.parseDelimited("France,a\nwater,b\nFrance,c\n", name: "dup", path: "dup.csv")
        }
        #expect(error.message.contains(#""France""#) && error.message.contains("1 and 3"))
        #expect(error.path == "dup.csv")
    }

    @Test func malformedLinesGiveTheirNumber() throws {
        let tooMany = try #require(throws: DriftError.self) {
            try Vocabulary.parseDelimited("term,category\nFrance,factual\nwater,factual,extra\n", name: "x", path: nil)
        }
        #expect(tooMany.message.hasPrefix("line 3:"))
        let unclosed = try #require(throws: DriftError.self) {
            try Vocabulary.parseDelimited("France\n# c\n\"water,factual\n", name: "x", path: nil)
        }
        #expect(unclosed.message.hasPrefix("line 3:"))
        let afterQuote = try #require(throws: DriftError.self) {
            try Vocabulary.parseDelimited("France\n\"wat\"er,factual\n", name: "x", path: nil)
        }
        #expect(afterQuote.message.hasPrefix("line 2:"))
        let emptyTerm = try #require(throws: DriftError.self) {
            try Vocabulary.parseDelimited("France\n,factual\n", name: "x", path: nil)
        }
        #expect(emptyTerm.message.hasPrefix("line 2:"))
    }

    @Test func malformedJSONIsAnErrorNamingTheFile() throws {
        let folder = try ExtractionFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases = [
            "{\"concepts\": [\n{\"term\": \"a\"},\n{\"term\": }\n]}",  // syntax
            "{\"name\": \"x\"}",  // no concepts
            "{\"concepts\": [{\"category\": \"a\"}]}",  // no term
            "{\"concepts\": [{\"term\": \"a\", \"category\": 3}]}",  // bad category
            "[1, 2]",  // not concepts
        ]
        for (index, text) in cases.enumerated() {
            let url = folder.appendingPathComponent("bad\(index).json")
            try Data(text.utf8).write(to: url)
            let error = try #require(throws: DriftError.self) { try Vocabulary.load(url.path) }
            #expect(error.kind == .corruptFile)
            #expect(error.path == url.path)
        }
    }

    @Test func missingFileNamesTheBundledVocabularies() throws {
        let error = try #require(throws: DriftError.self) { try Vocabulary.load("/nonexistent/vocab.csv") }
        #expect(error.kind == .missing)
        #expect(error.message.contains("seed-235"))
    }

    @Test func contentHashDependsOnTermsCategoriesAndOrderOnly() throws {
        let a = try Vocabulary(name: "a", concepts: [Concept(term: "x", category: "c"), Concept(term: "y")])
        let b = try Vocabulary(name: "b", concepts: [Concept(term: "x", category: "c"), Concept(term: "y")])
        let swapped = try Vocabulary(name: "a", concepts: [Concept(term: "y"), Concept(term: "x", category: "c")])
        let recategorised = try Vocabulary(name: "a", concepts: [Concept(term: "x"), Concept(term: "y")])
        #expect(a.contentHash == b.contentHash)
        #expect(a.contentHash != swapped.contentHash)
        #expect(a.contentHash != recategorised.contentHash)
        #expect(a.contentHash.count == 64)
    }
}
