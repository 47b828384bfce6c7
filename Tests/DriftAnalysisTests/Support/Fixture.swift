import DriftCore
import Foundation
import Testing

@testable import DriftAnalysis

/// A JSON fixture written by `Scripts/fixtures/analysis.py`.
struct Fixture {
    let object: [String: Any]

    init(_ name: String) throws {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: folder.appendingPathComponent("analysis").appendingPathComponent(name))
        object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    init(object: [String: Any]) { self.object = object }

    func sub(_ key: String) throws -> Fixture { Fixture(object: try #require(object[key] as? [String: Any])) }
    func subs(_ key: String) throws -> [Fixture] {
        try #require(object[key] as? [[String: Any]]).map { Fixture(object: $0) }
    }
    func double(_ key: String) throws -> Double { try #require((object[key] as? NSNumber)?.doubleValue) }
    func int(_ key: String) throws -> Int { try #require((object[key] as? NSNumber)?.intValue) }
    func string(_ key: String) throws -> String { try #require(object[key] as? String) }
    func doubles(_ key: String) throws -> [Double] {
        try #require(object[key] as? [NSNumber]).map(\.doubleValue)
    }
    func ints(_ key: String) throws -> [Int] { try #require(object[key] as? [NSNumber]).map(\.intValue) }
    func strings(_ key: String) throws -> [String] { try #require(object[key] as? [String]) }
    func indexArrays(_ key: String) throws -> [[Int]] {
        try #require(object[key] as? [[NSNumber]]).map { $0.map(\.intValue) }
    }
    func indexArrays3(_ key: String) throws -> [[[Int]]] {
        try #require(object[key] as? [[[NSNumber]]]).map { $0.map { $0.map(\.intValue) } }
    }
    func matrix(_ key: String) throws -> Matrix { try Fixture.matrix(try #require(object[key] as? [String: Any])) }
    func matrices(_ key: String) throws -> [Matrix] {
        try #require(object[key] as? [[String: Any]]).map(Fixture.matrix)
    }

    static func matrix(_ o: [String: Any]) throws -> Matrix {
        let rows = try #require((o["rows"] as? NSNumber)?.intValue)
        let columns = try #require((o["columns"] as? NSNumber)?.intValue)
        let values = try #require(o["values"] as? [NSNumber]).map { Float($0.doubleValue) }
        return Matrix(rows: rows, columns: columns, storage: values)
    }
}

/// Expects `|actual − expected| ≤ relative · |expected| + absolute` element by element.
func expectClose(
    _ actual: [Double], _ expected: [Double], relative: Double = 1e-5, absolute: Double = 1e-7,
    _ what: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(what): count", sourceLocation: sourceLocation)
    var worst = 0.0
    var worstIndex = -1
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        let excess = abs(a - e) - (relative * abs(e) + absolute)
        if excess > worst || (!a.isFinite && a != e) {
            worst = excess
            worstIndex = i
        }
    }
    if worstIndex >= 0 {
        Issue.record(
            "\(what): element \(worstIndex) is \(actual[worstIndex]), expected \(expected[worstIndex])",
            sourceLocation: sourceLocation)
    }
}

func expectClose(
    _ actual: Double, _ expected: Double, relative: Double = 1e-5, absolute: Double = 1e-7, _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectClose([actual], [expected], relative: relative, absolute: absolute, what, sourceLocation: sourceLocation)
}

/// Seeded test data: Gaussian matrices and random rotations.
struct TestData {
    var generator: SeededRandom

    init(seed: UInt64) { generator = SeededRandom(seed: seed) }

    mutating func gaussian() -> Double {
        let u1 = (Double(generator.next() >> 11) + 0.5) / Double(1 << 53)
        let u2 = Double(generator.next() >> 11) / Double(1 << 53)
        return (-2 * Foundation.log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    mutating func matrix(_ rows: Int, _ columns: Int, scale: Double = 1) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in Float(gaussian() * scale) })
    }

    /// A random orthogonal `d × d` matrix: the `U` of a Gaussian matrix's SVD.
    mutating func rotation(_ d: Int) throws -> Matrix {
        let g = matrix(d, d)
        let svd = try LAPACK.singularValueDecomposition(g.storage.map(Double.init), rows: d, columns: d)
        return Matrix(rows: d, columns: d, storage: svd.u.map { Float($0) })
    }
}
