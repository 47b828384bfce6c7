import Foundation
import Testing

/// Loads the parity fixtures written by `Scripts/fixtures/quant.py`.
struct QuantFixtures {
    let folder: URL
    let manifest: [String: Any]

    init() throws {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        folder = fixtures.appendingPathComponent("quant")
        let data = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
        manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func cases(_ key: String) throws -> [[String: Any]] {
        try #require(manifest[key] as? [[String: Any]])
    }

    func bytes(_ name: Any?) throws -> [UInt8] {
        let file = try #require(name as? String)
        return [UInt8](try Data(contentsOf: folder.appendingPathComponent(file)))
    }

    func floats(_ name: Any?) throws -> [Float] {
        let raw = try bytes(name)
        return raw.withUnsafeBytes { buffer in
            (0..<(raw.count / 4)).map {
                Float(bitPattern: buffer.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))
            }
        }
    }
}

/// The number of positions where two float arrays differ bit for bit (nil when the counts differ).
func bitMismatches(_ a: [Float], _ b: [Float]) -> Int? {
    guard a.count == b.count else { return nil }
    return zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
}

/// The largest absolute difference between two float arrays.
func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
