import ArgumentParser
import DriftCore
import Foundation
import Testing

@testable import EmbeddingDriftCLI

private struct MultiLineError: Error, CustomStringConvertible {
    var description: String { "first line\n  second line\n" }
}

@Suite struct CommandFailureTests {
    @Test func driftErrorPrintsOneLineAndExitsWithFailure() throws {
        var printed: [String] = []
        let error = try #require(throws: ExitCode.self) {
            try CommandFailure.reporting(to: { printed.append($0) }) {
                throw DriftError(.corruptFile, "header length 4294967280 runs past the end", path: "/data/x.npy")
            }
        }
        #expect(error == .failure)
        #expect(printed.count == 1)
        #expect(printed.first?.hasSuffix("error: /data/x.npy: header length 4294967280 runs past the end\n") == true)
    }

    @Test func otherErrorsAreFoldedIntoOneLine() throws {
        var printed: [String] = []
        _ = try #require(throws: ExitCode.self) {
            try CommandFailure.reporting(to: { printed.append($0) }) { throw MultiLineError() }
        }
        #expect(CommandFailure.line(for: MultiLineError()) == "error: first line second line")
        #expect(printed.count == 1 && printed[0].filter { $0 == "\n" }.count == 1)
        let cocoa = CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "/x"])
        #expect(!CommandFailure.line(for: cocoa).contains("\n"))
        #expect(CommandFailure.line(for: cocoa).hasPrefix("error: "))
    }

    @Test func argumentParserErrorsPassThroughUntouched() throws {
        var printed: [String] = []
        let validation = try #require(throws: ValidationError.self) {
            try CommandFailure.reporting(to: { printed.append($0) }) {
                throw ValidationError("--runs must be positive")
            }
        }
        #expect(validation.message == "--runs must be positive")
        let exit = try #require(throws: ExitCode.self) {
            try CommandFailure.reporting(to: { printed.append($0) }) { throw ExitCode(3) }
        }
        #expect(exit.rawValue == 3)
        #expect(throws: CleanExit.self) {
            try CommandFailure.reporting(to: { printed.append($0) }) { throw CleanExit.message("done") }
        }
        #expect(printed.isEmpty)
        #expect(try CommandFailure.reporting(to: { printed.append($0) }) { 42 } == 42)
    }
}
