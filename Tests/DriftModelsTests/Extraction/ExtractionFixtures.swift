import Foundation
import Testing

/// Paths into the extraction fixtures written by `Scripts/fixtures/extraction.py`.
enum ExtractionFixtures {
    static func folder() throws -> URL {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return fixtures.appendingPathComponent("extraction")
    }

    static func url(_ relativePath: String) throws -> URL {
        try folder().appendingPathComponent(relativePath)
    }

    static func json(_ relativePath: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(relativePath)))
    }

    /// A fresh empty temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drift-ext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The float32 elements and shape of a little-endian `<f4` C-order `.npy` file (test helper).
    static func readNpy(_ url: URL) throws -> (shape: [Int], values: [Float]) {
        let data = try Data(contentsOf: url)
        #expect(data.prefix(6) == Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]))
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        let header = try #require(String(data: data[10..<(10 + headerLength)], encoding: .ascii))
        #expect(header.contains("'descr': '<f4'") && header.contains("'fortran_order': False"))
        let shapeText = try #require(header.split(separator: "(").last?.split(separator: ")").first)
        let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let body = data[(10 + headerLength)...]
        var values = [Float](repeating: 0, count: body.count / 4)
        _ = values.withUnsafeMutableBytes { body.copyBytes(to: $0) }
        #expect(values.count == shape.reduce(1, *))
        return (shape, values)
    }
}
