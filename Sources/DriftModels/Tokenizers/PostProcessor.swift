/// A `tokenizers` post-processor, reduced to what it does to the ids of a single sequence.
indirect enum PostProcessor: Sendable {
    /// One template item for a single sequence.
    enum Item: Sendable {
        case sequence
        case special([Int])
    }

    /// `TemplateProcessing`'s `single` template, special tokens resolved to their ids.
    case template([Item])
    /// `[CLS] $A [SEP]` (BertProcessing and RobertaProcessing).
    case surround(prefix: Int, suffix: Int)
    /// Post-processors that do not change ids (`ByteLevel`).
    case identity
    /// Processors in order.
    case sequence([PostProcessor])

    /// The ids with special tokens added.
    func process(_ ids: [Int]) -> [Int] {
        switch self {
        case .template(let items):
            var out: [Int] = []
            out.reserveCapacity(ids.count + items.count)
            for item in items {
                switch item {
                case .sequence: out.append(contentsOf: ids)
                case .special(let s): out.append(contentsOf: s)
                }
            }
            return out
        case .surround(let prefix, let suffix):
            return [prefix] + ids + [suffix]
        case .identity:
            return ids
        case .sequence(let processors):
            var out = ids
            for p in processors { out = p.process(out) }
            return out
        }
    }
}
