import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses markup with Foundation's XMLParser and counts elements by name and by `class`.
final class XMLCheck: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var classes: [String: Int] = [:]
    var attributes: [[String: String]] = []
    var error: (any Error)?

    /// Parses `markup`; nil when it is not well-formed.
    static func parse(_ markup: String) -> XMLCheck? {
        let check = XMLCheck()
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = check
        guard parser.parse(), check.error == nil else { return nil }
        return check
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements[name, default: 0] += 1
        for cls in (attributes["class"] ?? "").split(separator: " ") { classes[String(cls), default: 0] += 1 }
        self.attributes.append(attributes.merging(["_name": name]) { a, _ in a })
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { error = parseError }

    /// Attribute dictionaries of elements with `cls` in their class.
    func elements(withClass cls: String) -> [[String: String]] {
        attributes.filter { ($0["class"] ?? "").split(separator: " ").contains(Substring(cls)) }
    }
}
