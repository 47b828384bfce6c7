public import Foundation

/// Finds an object key that JSON text repeats, which `JSONDecoder` and `JSONSerialization` silently accept (the
/// last value wins) — for request bodies that must mean one thing.
package enum JSONRepeatedKeys {
    /// The first key that some object of `data` gives twice (keys compared as Swift strings, so also two
    /// canonically equivalent spellings), or nil when there is none or `data` is not JSON (nesting is limited to
    /// 256 levels by the parser).
    ///
    /// - Parameter data: UTF-8 JSON text.
    /// - Returns: the repeated key, or nil.
    package static func first(in data: Data) -> String? {
        let parsed: TokenizerJSON? = data.withUnsafeBytes { raw in
            try? TokenizerJSON.parse(raw.bindMemory(to: UInt8.self))
        }
        return parsed.flatMap(first(in:))
    }

    private static func first(in value: TokenizerJSON) -> String? {
        switch value {
        case .object(let pairs):
            var seen = Set<String>()
            for pair in pairs {
                if !seen.insert(pair.key).inserted { return pair.key }
                if let inner = first(in: pair.value) { return inner }
            }
        case .array(let items):
            for item in items {
                if let inner = first(in: item) { return inner }
            }
        default:
            break
        }
        return nil
    }
}
