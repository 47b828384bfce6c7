import DriftCore
import Foundation
import Testing

/// Paths and expected values of the fixtures written by `Scripts/fixtures/formats.py`.
enum FormatFixtures {
    static func path(_ relative: String) throws -> String {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return root.appendingPathComponent("formats").appendingPathComponent(relative).path
    }

    static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: try path(relative)))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The error thrown by `body`, required to be a `DriftError`.
    static func driftError(_ body: () throws -> Void) throws -> DriftError {
        do {
            try body()
        } catch let error as DriftError {
            return error
        }
        Issue.record("expected a DriftError, nothing was thrown")
        throw DriftError(.invalidArgument, "no error thrown")
    }

    /// Expected float32 values from a JSON array of numbers (doubles that are float32 values or exact integers).
    static func floats(_ value: Any?) throws -> [Float] {
        let numbers = try #require(value as? [Any])
        return try numbers.map { Float(try #require(($0 as? NSNumber)?.doubleValue)) }
    }

    static func ints(_ value: Any?) throws -> [Int] {
        let numbers = try #require(value as? [Any])
        return try numbers.map { try #require(($0 as? NSNumber)?.intValue) }
    }
}
