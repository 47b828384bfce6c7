import DriftCore

/// llama.cpp's `unicode_regex_split`: its split regexes applied in order, each cutting every piece into its matches
/// and the text between them; the regexes llama.cpp runs on custom scanners run on ``LlamaScanners``.
struct LlamaRegexSplitter: Sendable {
    /// One regex and how it runs.
    enum Step: Sendable {
        case gpt2
        case cl100k(maxDigits: Int, marks: Bool)
        case kimiK2
        case digitGroups
        case newlineRuns
        case regex(LlamaRegex)
    }

    let steps: [Step]
    private let needsCollapsed: Bool
    private let needsWide: Bool

    /// Prepares the regexes of a llama.cpp pre-tokenizer type.
    /// - Throws: `DriftError` when a regex cannot be compiled.
    init(regexes: [String], path: String?) throws {
        steps = try regexes.map { source in
            switch source {
            case LlamaRegexSources.gpt2: return .gpt2
            case LlamaRegexSources.llama3: return .cl100k(maxDigits: 3, marks: false)
            case LlamaRegexSources.qwen2: return .cl100k(maxDigits: 1, marks: false)
            case LlamaRegexSources.qwen35: return .cl100k(maxDigits: 1, marks: true)
            case LlamaRegexSources.kimiK2: return .kimiK2
            case LlamaRegexSources.afmoeDigits, LlamaRegexSources.tinyAyaDigits: return .digitGroups
            case LlamaRegexSources.newlineRuns: return .newlineRuns
            default: return .regex(try LlamaRegex(source, path: path))
            }
        }
        var collapsed = false
        var wide = false
        for step in steps {
            if case .regex(let re) = step {
                if re.collapsed { collapsed = true } else { wide = true }
            }
        }
        needsCollapsed = collapsed
        needsWide = wide
    }

    /// The pieces of `text`, in order, covering it; empty pieces (zero-length matches) are left out, as they give
    /// no tokens.
    func split(_ text: [Unicode.Scalar]) -> [Range<Int>] {
        if text.isEmpty { return [] }
        let collapsed = needsCollapsed ? text.map { $0.llamaCollapsed } : nil
        let wide = needsWide ? text.map { $0.value >= 0x80 && $0.isTokenizerWhitespace ? "\u{0B}" : $0 } : nil
        var pieces = [0..<text.count]
        for step in steps {
            var next: [Range<Int>] = []
            next.reserveCapacity(pieces.count * 2)
            for piece in pieces {
                switch step {
                case .gpt2: LlamaScanners.gpt2(text, piece, into: &next)
                case .cl100k(let maxDigits, let marks):
                    LlamaScanners.cl100k(text, piece, maxDigits: maxDigits, marks: marks, into: &next)
                case .kimiK2: LlamaScanners.kimiK2(text, piece, into: &next)
                case .digitGroups: LlamaScanners.digitGroups(text, piece, into: &next)
                case .newlineRuns: LlamaScanners.newlineRuns(text, piece, into: &next)
                case .regex(let re):
                    guard let prepared = re.collapsed ? collapsed : wide else { continue }
                    var previous = piece.lowerBound
                    for m in re.matches(in: prepared, range: piece) {
                        if m.lowerBound > previous { next.append(previous..<m.lowerBound) }
                        if !m.isEmpty { next.append(m) }
                        previous = m.upperBound
                    }
                    if previous < piece.upperBound { next.append(previous..<piece.upperBound) }
                }
            }
            pieces = next
        }
        return pieces
    }
}
