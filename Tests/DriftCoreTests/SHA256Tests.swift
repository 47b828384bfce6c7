import Foundation
import Testing

@testable import DriftCore

@Suite struct SHA256Tests {
    struct Case: Decodable {
        var hex: String
        var sha256: String
    }

    static func bytes(fromHex hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return result
    }

    static func cases() throws -> [Case] {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: folder.appendingPathComponent("sha256/cases.json"))
        return try JSONDecoder().decode([Case].self, from: data)
    }

    @Test func matchesHashlibOnEveryLength() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 17)
        for testCase in cases {
            let input = Self.bytes(fromHex: testCase.hex)
            #expect(SHA256.hex(of: input) == testCase.sha256, "length \(input.count)")
        }
    }

    @Test func incrementalUpdatesEqualOneShot() throws {
        for testCase in try Self.cases() {
            let input = Self.bytes(fromHex: testCase.hex)
            // Feed in uneven pieces, mixing the array and Data entry points.
            var hasher = SHA256()
            var offset = 0
            var piece = 1
            while offset < input.count {
                let end = min(input.count, offset + piece)
                if piece % 2 == 0 {
                    hasher.update(data: Data(input[offset..<end]))
                } else {
                    hasher.update(input[offset..<end])
                }
                offset = end
                piece = piece * 3 % 67 + 1
            }
            #expect(hasher.hexDigest() == testCase.sha256, "length \(input.count)")
        }
    }
}
