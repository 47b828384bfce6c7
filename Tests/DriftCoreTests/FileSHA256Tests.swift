import Foundation
import Testing

@testable import DriftCore

/// The C SHA-256 behind ``FileSHA256`` gives hashlib's digests and ``SHA256``'s across the 4 MiB read boundary.
@Suite struct FileSHA256Tests {
    @Test func matchesHashlibOnEveryLength() throws {
        let cases = try SHA256Tests.cases()
        #expect(cases.count >= 17)
        for testCase in cases {
            let input = SHA256Tests.bytes(fromHex: testCase.hex)
            #expect(FileSHA256.hexDigest(of: Data(input)) == testCase.sha256, "length \(input.count)")
        }
    }

    @Test func aFileAcrossReadBoundariesMatchesTheSwiftHasher() throws {
        var random = SeededRandom(seed: 7)
        let bytes = (0..<((4 << 20) + 77)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("file-sha256-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try FileSHA256.hexDigest(of: url) == SHA256.hex(of: bytes))
        #expect(throws: DriftError.self) { try FileSHA256.hexDigest(of: url.appendingPathExtension("missing")) }
    }
}
