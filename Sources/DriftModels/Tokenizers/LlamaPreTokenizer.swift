/// What llama.cpp does before byte-pair merging for one `tokenizer.ggml.pre` name of a `gpt2` GGUF vocabulary.
///
/// Mirrors `llama_vocab::impl::load` (the name → pre-tokenizer type chain and the flags it sets) and the
/// `llm_tokenizer_bpe` constructor (the regexes of each type, applied in order, each splitting every piece into
/// its matches and the text between them).
struct LlamaPreTokenizer: Sendable {
    /// The regexes, in llama.cpp's order and spelling (which decides whether a custom scanner runs).
    let regexes: [String]
    /// Whether the pieces are mapped to GPT-2's byte-level alphabet (false for the SentencePiece-style types).
    var byteEncode = true
    /// Whether a piece that is a whole token is taken as is, without merging.
    var ignoreMerges = false
    /// Whether the BOS token is added when the file does not say (`tokenizer.ggml.add_bos_token`).
    var addBOS = false
    /// Whether the BOS token is added whatever the file says (llama.cpp's Gemma 4 workaround).
    var forceBOS = false
    /// Whether spaces become `▁` before splitting.
    var escapeWhitespaces = false
    /// Whether a piece of newlines only is looked up whole before merging (Gemma 4 and mmBERT).
    var wholeNewlinePieces = false
    /// Whether pieces are further split before each `▁`, with a leading `▁` added (mmBERT's Metaspace).
    var metaspaceWords = false

    /// The pre-tokenizer llama.cpp uses for `name`, or nil when llama.cpp rejects the name.
    init?(name: String) {
        guard let kind = LlamaPreTokenizer.kinds[name] else { return nil }
        self = kind.pre
        let llama3 = [
            "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano",
        ]
        if llama3.contains(name) || ["tekken", "chameleon"].contains(name) { addBOS = true }
        if llama3.contains(name)
            || ["minicpm5", "youtu", "glm4", "glm5", "tekken", "granite-embed-multi-97m"].contains(name)
        {
            ignoreMerges = true
        }
        if case .gemma4 = kind { forceBOS = true }
    }

    private init(_ regexes: [String]) {
        self.regexes = regexes
    }

    /// Every name llama.cpp accepts, sorted.
    static var supportedNames: [String] { kinds.keys.sorted() }

    /// llama.cpp's `LLAMA_VOCAB_PRE_TYPE_*` values that have their own regexes.
    private enum Kind {
        case standard, llama3, deepseekLLM, deepseekCoder, deepseek3, spark25, youtu, falcon, starcoder, gpt2
        case jais2, gemma4, mmbert, whitespace, qwen2, qwen35, poro, chatglm4, viking, tekken, chameleon, gpt4o
        case graniteEmbedMulti, tinyAya, superBPE, bailingMoE, seedCoder, kimiK2, ufakzeka, afmoe, laguna
        case exaoneMoE, miniCPM5, sarvam

        var pre: LlamaPreTokenizer {
            switch self {
            case .standard: return LlamaPreTokenizer(LlamaRegexSources.standard)
            case .llama3: return LlamaPreTokenizer([LlamaRegexSources.llama3])
            case .deepseekLLM: return LlamaPreTokenizer(LlamaRegexSources.deepseekLLM)
            case .deepseekCoder: return LlamaPreTokenizer(LlamaRegexSources.deepseekCoder)
            case .deepseek3: return LlamaPreTokenizer(LlamaRegexSources.deepseek3)
            case .spark25: return LlamaPreTokenizer(LlamaRegexSources.spark25)
            case .youtu: return LlamaPreTokenizer(LlamaRegexSources.youtu)
            case .falcon: return LlamaPreTokenizer(LlamaRegexSources.falcon)
            case .starcoder: return LlamaPreTokenizer([#"\p{N}"#, LlamaRegexSources.gpt2])
            case .gpt2: return LlamaPreTokenizer([LlamaRegexSources.gpt2])
            case .jais2: return LlamaPreTokenizer([LlamaRegexSources.jais2])
            case .gemma4:
                var p = LlamaPreTokenizer([LlamaRegexSources.newlineRuns])
                p.byteEncode = false
                p.escapeWhitespaces = true
                p.wholeNewlinePieces = true
                return p
            case .mmbert:
                var p = LlamaPreTokenizer([LlamaRegexSources.newlineRuns])
                p.byteEncode = false
                p.escapeWhitespaces = true
                p.wholeNewlinePieces = true
                p.metaspaceWords = true
                return p
            case .sarvam:
                var p = LlamaPreTokenizer([LlamaRegexSources.newlineRuns])
                p.byteEncode = false
                p.escapeWhitespaces = true
                return p
            case .whitespace:
                var p = LlamaPreTokenizer([#"\S+"#])
                p.byteEncode = false
                return p
            case .qwen2: return LlamaPreTokenizer([LlamaRegexSources.qwen2])
            case .qwen35: return LlamaPreTokenizer([LlamaRegexSources.qwen35])
            case .poro: return LlamaPreTokenizer([LlamaRegexSources.poro])
            case .chatglm4: return LlamaPreTokenizer([LlamaRegexSources.llama3])
            case .viking: return LlamaPreTokenizer([LlamaRegexSources.poro, #"\p{N}"#])
            case .tekken: return LlamaPreTokenizer([LlamaRegexSources.tekken])
            case .chameleon: return LlamaPreTokenizer(LlamaRegexSources.chameleon)
            case .gpt4o: return LlamaPreTokenizer([LlamaRegexSources.gpt4o])
            case .graniteEmbedMulti: return LlamaPreTokenizer([LlamaRegexSources.graniteEmbedMulti])
            case .tinyAya: return LlamaPreTokenizer(LlamaRegexSources.tinyAya)
            case .superBPE: return LlamaPreTokenizer(LlamaRegexSources.superBPE)
            case .bailingMoE: return LlamaPreTokenizer([LlamaRegexSources.bailingMoE])
            case .seedCoder: return LlamaPreTokenizer([LlamaRegexSources.seedCoder])
            case .kimiK2: return LlamaPreTokenizer([LlamaRegexSources.kimiK2])
            case .ufakzeka: return LlamaPreTokenizer([LlamaRegexSources.ufakzeka])
            case .afmoe: return LlamaPreTokenizer(LlamaRegexSources.afmoe)
            case .laguna: return LlamaPreTokenizer([LlamaRegexSources.newlineRuns, LlamaRegexSources.qwen2])
            case .exaoneMoE: return LlamaPreTokenizer([LlamaRegexSources.exaoneMoE])
            case .miniCPM5: return LlamaPreTokenizer(LlamaRegexSources.miniCPM5)
            }
        }
    }

    /// `tokenizer.ggml.pre` → type, as llama.cpp's chain of `tokenizer_pre == "..."` tests.
    private static let kinds: [String: Kind] = {
        var table: [String: Kind] = [:]
        func add(_ kind: Kind, _ names: String...) { for n in names { table[n] = kind } }
        add(.standard, "default")
        add(.miniCPM5, "minicpm5")
        add(
            .llama3, "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
            "jina-v5-nano", "dbrx", "smaug-bpe")
        add(.deepseekLLM, "deepseek-llm")
        add(.deepseekCoder, "deepseek-coder")
        add(.deepseek3, "deepseek-v3", "hunyuan-dense", "hy_v4", "joyai-llm")
        add(.spark25, "spark2_5")
        add(.youtu, "youtu")
        add(.falcon, "falcon")
        add(.starcoder, "starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b", "mellum2")
        add(
            .gpt2, "mpt", "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0",
            "mellum", "modern-bert", "jina-v1-en", "jina-v2-code", "roberta-bpe", "olmo", "jais", "exaone4",
            "trillion", "granite-docling")
        add(.jais2, "jais-2")
        add(.gemma4, "gemma4", "granite-embed-multi-311m")
        add(.sarvam, "sarvam-moe")
        add(.mmbert, "mmbert")
        add(.whitespace, "whitespace")
        add(
            .qwen2, "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan", "solar-open",
            "grok-2")
        add(.qwen35, "qwen35")
        add(.poro, "poro-chat", "bloom", "gpt3-finnish")
        add(.chatglm4, "chatglm-bpe", "glm4", "glm5")
        add(.viking, "viking")
        add(.tekken, "tekken")
        add(.chameleon, "chameleon")
        add(.gpt4o, "gpt-4o", "llama4", "kanana2", "talkie", "minimax-m2")
        add(.graniteEmbedMulti, "granite-embed-multi-97m")
        add(.tinyAya, "tiny_aya", "cohere2moe")
        add(.superBPE, "superbpe")
        add(.bailingMoE, "bailingmoe", "bailingmoe2", "llada-moe")
        add(.seedCoder, "seed-coder")
        add(.kimiK2, "kimi-k2")
        add(.ufakzeka, "ufakzeka")
        add(.afmoe, "afmoe")
        add(.laguna, "laguna")
        add(.exaoneMoE, "exaone-moe")
        return table
    }()
}
