import Foundation

/// One-line descriptions of a `DecodingError` from a run file: the field's path (`variants[2] ("base").hidden_size`),
/// what was expected and what was found.
enum JSONFieldError {
    /// `error` described against `root`, the same file parsed with `JSONSerialization` (to show what was found).
    static func describe(_ error: DecodingError, in root: Any) -> String {
        switch error {
        case .typeMismatch(let type, let context):
            let path = context.codingPath
            return "\(name(path, in: root)): expected \(expected(type)), found \(found(path, in: root))"
        case .valueNotFound(let type, let context):
            return "\(name(context.codingPath, in: root)): expected \(expected(type)), found null"
        case .keyNotFound(let key, let context):
            let field = name(context.codingPath + [key], in: root)
            return "\(field) is missing"
        case .dataCorrupted(let context):
            return "\(name(context.codingPath, in: root)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// The path as `a.b[2] ("name").c`; an array element that is an object with a `name` shows it.
    static func name(_ path: [any CodingKey], in root: Any) -> String {
        var text = ""
        var value: Any? = root
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
                let element = (value as? [Any]).flatMap { index < $0.count ? $0[index] : nil }
                if let name = (element as? [String: Any])?["name"] as? String { text += " (\"\(name)\")" }
                value = element
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                value = (value as? [String: Any])?[key.stringValue]
            }
        }
        return text.isEmpty ? "the file" : text
    }

    /// What the JSON holds at `path`.
    static func found(_ path: [any CodingKey], in root: Any) -> String {
        var value: Any? = root
        for key in path {
            if let index = key.intValue {
                value = (value as? [Any]).flatMap { index < $0.count ? $0[index] : nil }
            } else {
                value = (value as? [String: Any])?[key.stringValue]
            }
        }
        switch value {
        case nil, is NSNull: return "null"
        case let text as String: return "the string \"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
        case let number as NSNumber:
            return String(cString: number.objCType) == "c" && type(of: number) != NSNumber.self
                ? "\(number.boolValue)" : "the number \(number)"
        case is [Any]: return "a list"
        default: return "an object"
        }
    }

    /// The expected type in words.
    static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is UInt64.Type: "an integer"
        case is Double.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array") ? "a list" : "an object"
        }
    }
}
