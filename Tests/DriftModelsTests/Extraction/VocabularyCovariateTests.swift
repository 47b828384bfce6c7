import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// The user's covariates: extra numeric columns of a CSV vocabulary, extra numeric fields of JSON concepts.
@Suite struct VocabularyCovariateTests {
    @Test func csvExtraColumnsAreCovariates() throws {
        let text =
            "term,category,frequency,age\nFrance,factual,0.5,3\n\"Washington, D.C.\",factual,1e-3,-2\nlove,abstract,2,0\n"
        let vocabulary = try Vocabulary.parseDelimited(text, name: "v", path: "v.csv")
        #expect(vocabulary.covariateNames == ["frequency", "age"])
        #expect(vocabulary.terms == ["France", "Washington, D.C.", "love"])
        #expect(vocabulary.concepts[1].covariates == ["frequency": 0.001, "age": -2])
        #expect(vocabulary.concepts[2].category == "abstract")
        // Without extra columns nothing changes.
        let plain = try Vocabulary.parseDelimited("term,category\nFrance,factual\n", name: "v", path: "v.csv")
        #expect(plain.covariateNames.isEmpty && plain.concepts[0].covariates == nil)
    }

    @Test(arguments: [
        (
            "term,category,frequency\nFrance,factual,abc\n",
            "v.csv: line 2, column 3 (frequency): \"abc\" is not a finite number"
        ),
        (
            "term,category,frequency\n# note\nFrance,factual,1\nlove,abstract\n",
            "v.csv: line 4, column 3 (frequency): missing value"
        ),
        ("term,category,frequency\nFrance,factual,\n", "v.csv: line 2, column 3 (frequency): missing value"),
        (
            "term,category,frequency\nFrance,factual,nan\n",
            "v.csv: line 2, column 3 (frequency): \"nan\" is not a finite number"
        ),
        ("term,category,frequency\nFrance,factual,1,2\n", "v.csv: line 2: 4 fields, but the header names 3"),
        (
            "term,category,f,f\nFrance,factual,1,2\n",
            "v.csv: line 1, column 4: covariate name \"f\" is empty, repeated or reserved"
        ),
    ])
    func csvErrorsNameTheFileLineAndColumn(text: String, message: String) throws {
        let error = try #require(throws: DriftError.self) {
            try Vocabulary.parseDelimited(text, name: "v", path: "v.csv")
        }
        #expect(error.description.contains(message), "\(error.description)")
        #expect(!error.description.contains("\n"))
    }

    @Test func jsonNumericFieldsAreCovariates() throws {
        let json = """
            {"concepts": [{"term": "France", "category": "factual", "frequency": 0.3, "note": "x"},
                          {"term": "love", "category": "abstract", "frequency": 2, "note": "y"}]}
            """
        let vocabulary = try Vocabulary.parseJSON(Data(json.utf8), defaultName: "v", path: "v.json")
        #expect(vocabulary.covariateNames == ["frequency"])
        #expect(vocabulary.concepts.map { $0.covariates?["frequency"] } == [0.3, 2])
        let flags = """
            {"concepts": [{"term": "France", "rare": true}, {"term": "love", "rare": false}]}
            """
        #expect(try Vocabulary.parseJSON(Data(flags.utf8), defaultName: "v", path: "v.json").covariateNames.isEmpty)
    }

    @Test func jsonMissingOrNonNumericCovariateIsNamed() throws {
        let missing = """
            {"concepts": [{"term": "France", "frequency": 0.3}, {"term": "love"}]}
            """
        let error = try #require(throws: DriftError.self) {
            try Vocabulary.parseJSON(Data(missing.utf8), defaultName: "v", path: "v.json")
        }
        #expect(error.description.contains("v.json: concept 2 (\"love\"), field \"frequency\": missing"))
        let text = """
            {"concepts": [{"term": "France", "frequency": 0.3}, {"term": "love", "frequency": "often"}]}
            """
        let other = try #require(throws: DriftError.self) {
            try Vocabulary.parseJSON(Data(text.utf8), defaultName: "v", path: "v.json")
        }
        #expect(
            other.description.contains("concept 2 (\"love\"), field \"frequency\": \"often\" is not a finite number"))
    }
}
