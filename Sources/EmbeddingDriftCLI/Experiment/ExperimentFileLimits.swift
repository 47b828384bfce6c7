import CYaml
import DriftCore

/// Size and nesting limits checked on an experiment file's text before the YAML parser sees it.
///
/// The YAML parser recurses once per nesting level, so a file nested 100,000 levels deep (`[[[[…`) or a few
/// thousand block levels ends the process with a stack overflow instead of an error. An experiment needs four
/// levels; the limits leave ample room and are checked by a pass that never recurses. (Self-contained:
/// the fuzzing harness links this file too, Fuzz/FuzzExperimentYAML.)
enum ExperimentFileLimits {
    /// The largest experiment file read, in bytes (a real one is well under 10 KB).
    static let maxBytes = 1 << 20
    /// The deepest nesting of mappings and lists (block indentation levels and `[`/`{` together).
    static let maxDepth = 64

    /// Checks `text` against ``maxBytes`` and ``maxDepth``.
    ///
    /// The depth counted is the YAML nesting of mappings and sequences, flow and block alike.
    ///
    /// - Parameters:
    ///   - text: the file's text.
    ///   - path: the file, for messages.
    /// - Throws: `DriftError` naming the file, the limit and the line where it is passed.
    static func check(_ text: String, path: String) throws {
        let size = text.utf8.count
        guard size <= maxBytes else {
            throw DriftError(
                .invalidArgument,
                "the experiment file has \(size) bytes; the limit is \(maxBytes) bytes (1 MiB)", path: path)
        }
        if let line = firstLineTooDeep(text) {
            throw DriftError(
                .invalidArgument,
                "line \(line): nested more than \(maxDepth) levels deep; an experiment file needs only a few",
                path: path)
        }
    }

    /// The 1-based line where the nesting first exceeds ``maxDepth``, or nil (also when the text is not YAML: the
    /// parser then stops at the same place, before nesting any deeper).
    ///
    /// The nesting is the parser's own: libyaml's event parser (which Yams runs on, and which keeps its state on the
    /// heap, never recursing) is run over the text, counting sequence and mapping starts and ends. A textual
    /// estimate cannot be both sound and tolerant here: whether a `"` opens a quoted scalar or is a character of a
    /// plain one (`$["The…`, `a: x "y`, a continuation line) decides whether the brackets after it nest, and the
    /// fuzzer found two such inputs that an estimate got wrong.
    static func firstLineTooDeep(_ text: String) -> Int? {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeMutableBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            yaml_parser_set_input_string(&parser, base, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var depth = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                let type = event.type
                let line = Int(event.start_mark.line) + 1
                yaml_event_delete(&event)
                switch type {
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    depth += 1
                    if depth > maxDepth { return line }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                case YAML_STREAM_END_EVENT:
                    return nil
                default:
                    break
                }
            }
        }
    }
}
