import DriftCore

/// Size and nesting limits checked on an experiment file's text before the YAML parser sees it.
///
/// The YAML parser recurses once per nesting level, so a file nested 100,000 levels deep (`[[[[…`) or a few
/// thousand block levels ends the process with a stack overflow instead of an error. An experiment needs four
/// levels; the limits leave ample room and are checked in one linear pass that never recurses. (Self-contained:
/// the fuzzing harness links this file too, Fuzz/FuzzExperimentYAML.)
enum ExperimentFileLimits {
    /// The largest experiment file read, in bytes (a real one is well under 10 KB).
    static let maxBytes = 1 << 20
    /// The deepest nesting of mappings and lists (block indentation levels and `[`/`{` together).
    static let maxDepth = 64

    /// Checks `text` against ``maxBytes`` and ``maxDepth``.
    ///
    /// The depth counted is an upper bound of the YAML nesting: every indentation level and every `- ` entry marker
    /// of a block collection, plus every `[` or `{` open outside quotes and comments.
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

    /// The UTF-8 bytes of `text` with every line break the YAML parser knows (`\r\n`, `\r`, and YAML 1.1's NEL,
    /// LS and PS) written as `\n`: a comment ends where the parser ends it, so nothing the parser reads as nesting
    /// hides behind a `#`.
    static func lineBreaksAsNewlines(_ text: String) -> [UInt8] {
        let input = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            let c = input[i]
            if c == 0x0D {  // \r or \r\n
                out.append(UInt8(ascii: "\n"))
                i += i + 1 < input.count && input[i + 1] == 0x0A ? 2 : 1
            } else if c == 0xC2, i + 1 < input.count, input[i + 1] == 0x85 {  // NEL
                out.append(UInt8(ascii: "\n"))
                i += 2
            } else if c == 0xE2, i + 2 < input.count, input[i + 1] == 0x80, input[i + 2] == 0xA8 || input[i + 2] == 0xA9
            {
                out.append(UInt8(ascii: "\n"))  // LS, PS
                i += 3
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    /// The 1-based line where the nesting first exceeds ``maxDepth``, or nil.
    static func firstLineTooDeep(_ text: String) -> Int? {
        var blockIndents: [Int] = []  // columns of the open block levels, ascending
        var flowDepth = 0
        var quote: UInt8? = nil  // the open quote of a quoted scalar, which may span lines
        var line = 1
        var bytes = lineBreaksAsNewlines(text)
        bytes.append(UInt8(ascii: "\n"))
        var i = 0
        while i < bytes.count {
            // The start of a line: its indentation and `- ` markers open block levels (outside flow and quotes).
            if quote == nil && flowDepth == 0 {
                var column = 0
                while i < bytes.count && bytes[i] == UInt8(ascii: " ") {
                    column += 1
                    i += 1
                }
                let blank = i >= bytes.count || bytes[i] == UInt8(ascii: "\n") || bytes[i] == UInt8(ascii: "#")
                if !blank {
                    while let top = blockIndents.last, top >= column { blockIndents.removeLast() }
                    blockIndents.append(column)
                    // `- - - x`: every entry marker is one more level.
                    while i + 1 < bytes.count && bytes[i] == UInt8(ascii: "-")
                        && (bytes[i + 1] == UInt8(ascii: " ") || bytes[i + 1] == UInt8(ascii: "\n"))
                    {
                        i += 1
                        column += 1
                        while i < bytes.count && bytes[i] == UInt8(ascii: " ") {
                            column += 1
                            i += 1
                        }
                        blockIndents.append(column)
                    }
                    if blockIndents.count > maxDepth { return line }
                }
            }
            // The rest of the line.
            var previous = UInt8(ascii: " ")
            while i < bytes.count {
                let c = bytes[i]
                i += 1
                if c == UInt8(ascii: "\n") {
                    line += 1
                    break
                }
                if let open = quote {
                    if open == UInt8(ascii: "\"") && c == UInt8(ascii: "\\") {
                        if i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
                    } else if c == open {
                        quote = nil
                    }
                    previous = c
                    continue
                }
                let tokenStart =
                    previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t")
                    || (flowDepth > 0 && "[{,:".utf8.contains(previous))
                switch c {
                case UInt8(ascii: "#") where previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t"):
                    // A comment: skip to the end of the line.
                    while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    if tokenStart { quote = c }
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    flowDepth += 1
                    if blockIndents.count + flowDepth > maxDepth { return line }
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    flowDepth = max(0, flowDepth - 1)
                default:
                    break
                }
                previous = c
            }
        }
        return nil
    }
}
