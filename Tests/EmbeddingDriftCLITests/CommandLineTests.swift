import Testing

@testable import EmbeddingDriftCLI

@Suite struct CommandLineTests {
    @Test func versionIsSemantic() {
        #expect(ToolVersion.current.split(separator: ".").count == 3)
    }
}
