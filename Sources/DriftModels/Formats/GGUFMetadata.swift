package import DriftCore

/// Typed reads of one GGUF file's `<architecture>.<key>` metadata, each failing with a one-line error naming the file.
package struct GGUFMetadata {
    /// The opened file.
    package let file: GGUFFile
    /// `general.architecture`, the prefix of every key read here.
    package let architecture: String

    package init(file: GGUFFile, architecture: String) {
        self.file = file
        self.architecture = architecture
    }

    /// The full key of `suffix`.
    package func key(_ suffix: String) -> String { "\(architecture).\(suffix)" }

    /// An error about this file.
    package func problem(_ text: String) -> DriftError { DriftError(.corruptFile, text, path: file.path) }

    /// An integer, or a per-layer array whose entries must all be equal; nil when absent.
    package func integer(_ suffix: String) throws -> Int? {
        guard let value = file.value(key(suffix)) else { return nil }
        if let int = value.intValue { return int }
        if let array = value.arrayValue {
            guard let values = array.ints, let first = values.first, values.allSatisfy({ $0 == first }) else {
                throw DriftError(
                    .unsupported, "\(key(suffix)) differs between layers; only uniform layers are supported",
                    path: file.path)
            }
            return first
        }
        throw problem("\(key(suffix)) is \(value.summary), not an integer")
    }

    /// A positive integer that must be present.
    package func required(_ suffix: String) throws -> Int {
        guard let value = try integer(suffix) else { throw problem("the GGUF metadata has no \(key(suffix))") }
        guard value > 0 else { throw problem("\(key(suffix)) is \(value); it must be positive") }
        return value
    }

    /// A number, or nil when absent.
    package func number(_ suffix: String) throws -> Double? {
        guard let value = file.value(key(suffix)) else { return nil }
        guard let number = value.doubleValue else { throw problem("\(key(suffix)) is \(value.summary), not a number") }
        return number
    }

    /// A boolean, or nil when absent.
    package func flag(_ suffix: String) throws -> Bool? {
        guard let value = file.value(key(suffix)) else { return nil }
        guard let flag = value.boolValue else { throw problem("\(key(suffix)) is \(value.summary), not a boolean") }
        return flag
    }

    /// The common rotary entry with the base frequency of `rope.freq_base` (default 10,000), as `rope_parameters`.
    package func ropeParameters(_ rope: [String: JSONValue]) throws -> JSONValue {
        var rope = rope
        rope["rope_theta"] = .number(try number("rope.freq_base") ?? 10_000)
        return .object(rope)
    }

    /// The outer (PyTorch's first) dimension of rank-2 tensor `name`.
    package func rows(_ name: String, _ what: String) throws -> Int {
        guard let tensor = file.tensor(name), tensor.dimensions.count == 2, tensor.dimensions[1] > 0 else {
            throw DriftError(.missing, "tensor '\(name)' (\(what)) is missing or not a matrix", path: file.path)
        }
        return tensor.dimensions[1]
    }
}
