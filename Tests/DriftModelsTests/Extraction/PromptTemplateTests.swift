import DriftCore
import Testing

@testable import DriftModels

@Suite struct PromptTemplateTests {
    @Test func defaultIsTheReferenceStudysTemplate() throws {
        #expect(PromptTemplate.default.text == "The concept of {term} is")
        #expect(PromptTemplate.default.prompt(for: "South Korea") == "The concept of South Korea is")
        #expect(try PromptTemplate("{term}").prompt(for: "x") == "x")
        #expect(try PromptTemplate("Q: {term}?\n").prompt(for: "a {b}") == "Q: a {b}?\n")
    }

    @Test(arguments: ["The concept of is", "{term} and {term}", "", "{Term}", "{ term }"])
    func templateWithoutExactlyOnePlaceholderIsAnError(text: String) throws {
        let error = try #require(throws: DriftError.self) { try PromptTemplate(text) }
        #expect(error.kind == .invalidArgument)
        #expect(error.message.contains("{term} exactly once"))
    }

    @Test func layerSelectionParsesAndValidates() throws {
        #expect(try LayerSelection(parsing: "all").resolve(layerCount: 3) == [0, 1, 2, 3])
        #expect(try LayerSelection(parsing: "last").resolve(layerCount: 3) == [3])
        #expect(try LayerSelection(parsing: "2, 0").resolve(layerCount: 3) == [0, 2])
        #expect(try LayerSelection(parsing: "-1,1").resolve(layerCount: 3) == [1, 3])
        #expect(throws: DriftError.self) { try LayerSelection(parsing: "first") }
        #expect(throws: DriftError.self) { try LayerSelection(parsing: "1,,2") }
        let outOfRange = try #require(throws: DriftError.self) {
            try LayerSelection(parsing: "4").resolve(layerCount: 3)
        }
        #expect(outOfRange.message.contains("0…3"))
        #expect(throws: DriftError.self) { try LayerSelection(parsing: "-5").resolve(layerCount: 3) }
        #expect(throws: DriftError.self) { try LayerSelection(parsing: "1,1").resolve(layerCount: 3) }
    }
}
