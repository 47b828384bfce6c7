import Testing

@testable import DriftAnalysis

@Suite struct DriftAnalysisModuleTests {
    @Test func moduleLoads() {
        #expect(Bool(true))
    }
}
