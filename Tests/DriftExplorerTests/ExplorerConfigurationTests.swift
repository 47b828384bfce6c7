import Testing

@testable import DriftExplorer

@Suite struct ExplorerConfigurationTests {
    @Test func defaultsToLoopbackWithoutLiveMode() {
        let configuration = ExplorerConfiguration()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.live == false)
    }
}
