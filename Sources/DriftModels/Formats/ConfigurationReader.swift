package import DriftCore

/// Typed reads of one `config.json` object, each failing with a one-line error that names the file and the key.
///
/// A key that is absent or `null` counts as absent, as transformers' configuration classes treat it.
package struct ConfigurationReader: Sendable {
    /// The configuration object (a multimodal model's `text_config`).
    package let object: [String: JSONValue]
    /// The file named in errors.
    package let path: String?

    package init(object: [String: JSONValue], path: String?) {
        self.object = object
        self.path = path
    }

    /// An error about this file.
    package func problem(_ text: String) -> DriftError {
        DriftError(.corruptFile, text, path: path)
    }

    /// A value as error messages show it: a string quoted (at most ~120 characters, escaped), anything else as
    /// JSON, quoted too when it is long.
    package static func shown(_ value: JSONValue) -> String {
        if let text = value.stringValue { return DriftError.quote(text) }
        let text = value.description
        return text.count <= DriftError.quoteLimit ? text : DriftError.quote(text)
    }

    /// Whether `key` is present and not `null`.
    package func has(_ key: String) -> Bool {
        guard let value = object[key] else { return false }
        return !value.isNull
    }

    /// Whether `key` is written at all (even as `null`, which some configs use to switch a feature off).
    package func isWritten(_ key: String) -> Bool {
        object[key] != nil
    }

    /// The first of `keys` present, as an integer, else `fallback`; no key and no fallback is an error.
    package func integer(_ keys: String..., default fallback: Int? = nil) throws -> Int {
        for key in keys {
            if let value = try optionalInteger(key) { return value }
        }
        if let fallback { return fallback }
        throw problem("config.json has no \"\(keys[0])\"")
    }

    /// `key` as an integer, or nil when absent.
    package func optionalInteger(_ key: String) throws -> Int? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let integer = value.intValue else { throw problem("\"\(key)\" is \(Self.shown(value)), not an integer") }
        return integer
    }

    /// The first of `keys` present, as a number, else `fallback`.
    package func number(_ keys: String..., default fallback: Double) throws -> Double {
        for key in keys {
            if let value = try optionalNumber(key) { return value }
        }
        return fallback
    }

    /// `key` as a number, or nil when absent.
    package func optionalNumber(_ key: String) throws -> Double? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let number = value.doubleValue else { throw problem("\"\(key)\" is \(Self.shown(value)), not a number") }
        return number
    }

    /// `key` as a boolean, else `fallback`.
    package func flag(_ key: String, default fallback: Bool) throws -> Bool {
        guard let value = object[key], !value.isNull else { return fallback }
        guard let flag = value.boolValue else { throw problem("\"\(key)\" is \(Self.shown(value)), not true or false") }
        return flag
    }

    /// The first of `keys` present, as a string, else `fallback`.
    package func string(_ keys: String..., default fallback: String) throws -> String {
        for key in keys {
            guard let value = object[key], !value.isNull else { continue }
            guard let text = value.stringValue else {
                throw problem("\"\(key)\" is \(Self.shown(value)), not a string")
            }
            return text
        }
        return fallback
    }

    /// `key` as a list of integers, or nil when absent.
    package func optionalIntegers(_ key: String) throws -> [Int]? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let list = value.arrayValue else { throw problem("\"\(key)\" is not a list of integers") }
        return try list.map { entry in
            guard let integer = entry.intValue else {
                throw problem("\"\(key)\" holds \(Self.shown(entry)), not an integer")
            }
            return integer
        }
    }

    /// `key` as a list of numbers, or nil when absent.
    package func optionalNumbers(_ key: String) throws -> [Double]? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let list = value.arrayValue else { throw problem("\"\(key)\" is not a list of numbers") }
        return try list.map { entry in
            guard let number = entry.doubleValue else {
                throw problem("\"\(key)\" holds \(Self.shown(entry)), not a number")
            }
            return number
        }
    }

    /// `key` as an object, or nil when absent.
    package func optionalObject(_ key: String) throws -> [String: JSONValue]? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let dictionary = value.objectValue else { throw problem("\"\(key)\" is not an object") }
        return dictionary
    }

    /// The sliding window when `key` is written (a `null` window switches it off), else `fallback`.
    package func slidingWindow(default fallback: Int?) throws -> Int? {
        isWritten("sliding_window") ? try optionalInteger("sliding_window") : fallback
    }

    /// `layer_types` when written (checked: one string per layer), else nil.
    package func layerTypes(count: Int) throws -> [String]? {
        guard let given = object["layer_types"], !given.isNull else { return nil }
        guard let list = given.arrayValue?.compactMap(\.stringValue), list.count == given.arrayValue?.count else {
            throw problem("\"layer_types\" is not a list of strings")
        }
        guard list.count == count else {
            throw problem("\"layer_types\" has \(list.count) entries for \(count) layers")
        }
        return list
    }
}
