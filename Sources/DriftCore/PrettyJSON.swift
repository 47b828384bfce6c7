package import Foundation

/// The one way the tool writes JSON files: pretty-printed, keys sorted, slashes unescaped, a final newline — so
/// manifests, metadata and summaries diff cleanly and byte-compare between runs.
package enum PrettyJSON {
    /// `object` (made of JSON-compatible Foundation values; non-finite numbers must already be replaced) as file
    /// bytes.
    ///
    /// - Throws: ``DriftError`` of kind `.io` naming `path` when `object` cannot be encoded.
    package static func data(_ object: Any, path: String) throws -> Data {
        do {
            var data = try JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            data.append(0x0A)
            return data
        } catch {
            throw DriftError(.io, "cannot encode JSON: \(error.localizedDescription)", path: path)
        }
    }
}
