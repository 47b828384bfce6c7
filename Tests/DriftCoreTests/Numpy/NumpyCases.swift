import Foundation

/// `Fixtures/npy/cases.json`, written by Scripts/fixtures/npy.py from what numpy saved and read back.
struct NumpyCases: Decodable {
    struct Case: Decodable {
        var file: String
        var descr: String
        var shape: [Int]
        var note: String
        /// The numpy-written file a Swift write of the same values must equal byte for byte.
        var write_back: String?
        /// Bit patterns (hex) of floating-point elements, in their own width.
        var bits: [String]?
        /// Decimal integers.
        var integers: [String]?
        var booleans: [Bool]?
        /// numpy's `astype(np.float32)` / `astype(np.float64)` of the elements, as hex bit patterns.
        var float32_bits: [String]
        var float64_bits: [String]
        /// For float16 files made from float32 values: those float32 values (hex bit patterns).
        var from_float32_bits: [String]?
    }

    struct BadCase: Decodable {
        var file: String
        /// The expected `DriftError.Kind` ("corruptFile" or "unsupported").
        var kind: String
        var note: String
        /// The exception numpy raises for the same file (nil: numpy reads it, this tool declines it).
        var numpy_error: String?
    }

    var numpy_version: String
    var cases: [Case]
    var bad_cases: [BadCase]

    static func load() throws -> (folder: URL, cases: NumpyCases) {
        let folder = try Fixtures.folder("npy")
        let data = try Data(contentsOf: folder.appendingPathComponent("cases.json"))
        return (folder, try JSONDecoder().decode(NumpyCases.self, from: data))
    }
}

extension Array where Element == String {
    /// Hexadecimal strings as unsigned integers (nil entries become a value the tests cannot match).
    func hexValues() -> [UInt64] { map { UInt64($0, radix: 16) ?? .max } }
}
