/// The regexes of llama.cpp's BPE pre-tokenizer types, exactly as `llm_tokenizer_bpe` spells them (the spelling
/// decides which regexes run on llama.cpp's custom scanners; see ``LlamaRegexSplitter``).
///
/// Control characters that llama.cpp writes literally inside a class (`[\r\n]`) are written here as the regex
/// escapes, which match the same characters.
enum LlamaRegexSources {
    /// GPT-2's split, without a final `|\s+` (custom scanner).
    static let gpt2 =
        ##"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"##
    /// Llama 3 (custom scanner).
    static let llama3 =
        ##"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##
    /// Qwen2: Llama 3 with single digits (custom scanner).
    static let qwen2 =
        ##"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##
    /// Qwen3.5: Qwen2 with marks in letter runs (custom scanner).
    static let qwen35 =
        ##"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##
    /// Runs of newlines and runs of anything else (custom scanner).
    static let newlineRuns =
        ##"[^\n]+|[\n]+"##
    /// The trigger of the Kimi-K2 scanner, which runs all of its patterns.
    static let kimiK2 =
        ##"\p{Han}+"##
    /// The trigger of the AFMoE digit scanner (digits grouped in threes from the right).
    static let afmoeDigits =
        ##"\p{AFMoE_digits}"##
    /// Tiny Aya's digit grouping, which llama.cpp runs on the AFMoE digit scanner.
    static let tinyAyaDigits =
        ##"\d{1,3}(?=(?:\d{3})*\b)"##
    /// Jais 2: Llama 3 with cascading whitespace runs.
    static let jais2 =
        ##"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s{512}(?!\S)|\s{256}(?!\S)|\s{128}(?!\S)|\s{64}(?!\S)|\s{32}(?!\S)|\s{16}(?!\S)|\s{8}(?!\S)|\s{4}(?!\S)|\s{1,2}(?!\S)|\s{1}"##
    /// Poro, BLOOM, GPT-3 Finnish: everything but whitespace and some punctuation.
    static let poro =
        ##" ?[^(\s|.,!?…。，、।۔،)]+"##
    /// Tekken (Mistral NeMo): case runs through lookaheads.
    static let tekken =
        ##"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"##
    /// GPT-4o (o200k) with lookaheads for the case runs.
    static let gpt4o =
        ##"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"##
    /// Granite multilingual embeddings: GPT-4o with marks in the case runs.
    static let graniteEmbedMulti =
        ##"[^\r\n\p{L}\p{N}]?((?=[\p{L}\p{M}])([^a-z]))*((?=[\p{L}\p{M}])([^A-Z]))+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\r\n\p{L}\p{N}]?((?=[\p{L}\p{M}])([^a-z]))+((?=[\p{L}\p{M}])([^A-Z]))*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"##
    /// Bailing MoE: possessive quantifiers made greedy.
    static let bailingMoE =
        ##"'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"##
    /// Seed-Coder.
    static let seedCoder =
        ##"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1}| ?[^\s\p{L}\p{N}\r\n]+|\s*[\r\n]+|\s+(?!\S)|\s+"##
    /// Qwen2 without the contractions.
    static let ufakzeka =
        ##"[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##
    /// EXAONE MoE: letter runs may span single spaces.
    static let exaoneMoE =
        ##"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?(?:\p{L}\p{M}*(?: \p{L}\p{M}*)*)+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]?|\s*[\r\n]|\s+(?!\S)|\s+"##
    /// llama.cpp's default (a missing or `default` name).
    static let standard: [String] = [
        ##"[\p{P}\$\+<=>\^~\|]+"##,
        ##"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"##,
        ##"\p{N}+"##,
        ##"[0-9][0-9][0-9]"##,
    ]
    /// DeepSeek LLM.
    static let deepseekLLM: [String] = [
        ##"[\r\n]"##,
        ##"\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+"##,
        ##"\s?[!-/:-~！-／：-～‘-‟\##u{3000}-。]+"##,
        ##"\s+$"##,
        ##"[一-龥ࠀ-一가-\##u{D7FF}]+"##,
        ##"\p{N}+"##,
    ]
    /// DeepSeek Coder.
    static let deepseekCoder: [String] = [
        ##"[\r\n]"##,
        ##"\s?\p{L}+"##,
        ##"\s?\p{P}+"##,
        ##"[一-龥ࠀ-一가-\##u{D7FF}]+"##,
        ##"\p{N}"##,
    ]
    /// DeepSeek V3 (also Hunyuan dense, HY v4, JoyAI).
    static let deepseek3: [String] = [
        ##"\p{N}{1,3}"##,
        ##"[一-龥\##u{3040}-ゟ゠-ヿ]+"##,
        ##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##,
    ]
    /// Spark 2.5.
    static let spark25: [String] = [
        ##"\p{N}{1,3}"##,
        ##"[一-龥\##u{3040}-ゟ゠-ヿ]+"##,
        ##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+|[\r\n]|\s+(?!\S)|\s+"##,
        ##"\p{N}"##,
    ]
    /// Youtu.
    static let youtu: [String] = [
        ##"[가-힣ㄱ-ㆎ]+|[！…“”‘’—：；，、-〿︰-﹏]+|[ㄅ-ㄯ]+|[一-龥\##u{3040}-ゟ゠-ヿ]+"##,
        ##"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"##,
    ]
    /// Falcon.
    static let falcon: [String] = [
        ##"[\p{P}\$\+<=>\^~\|`]+"##,
        ##"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"##,
        ##"[0-9][0-9][0-9]"##,
    ]
    /// Chameleon: sentinel and image tokens, isolated digits and punctuation, then GPT-2.
    static let chameleon: [String] = [
        ##"<sentinel:[0-9]+>"##,
        ##"(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z"##,
        ##"([\t\n]|    |  )"##,
        ##"\p{N}"##,
        ##"[\p{P}!-/:-@\[-`{-~]"##,
        ##"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"##,
    ]
    /// Tiny Aya and Cohere 2 MoE.
    static let tinyAya: [String] = [
        ##"\d{1,3}(?=(?:\d{3})*\b)"##,
        ##"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"##,
    ]
    /// SuperBPE: digit runs, grouped in threes from the right.
    static let superBPE: [String] = [
        ##"\p{N}+"##,
        ##"(?=(\d{3})+(?!\d))"##,
    ]
    /// AFMoE: digit groups, CJK and Southeast Asian script runs, then the DeepSeek V3 split.
    static let afmoe: [String] = [
        ##"\p{AFMoE_digits}"##,
        ##"[一-鿿㐀-䶿豈-\##u{FAFF}\##u{3040}-ゟ゠-ヿ･-ﾟ⼀-\##u{2FDF}เ-\##u{E7F}\##u{E80}-\##u{EFF}ក-\##u{17FF}က-႟ꩠ-ꩿꧠ-\##u{A9FF}가-\##u{D7AF}ᄀ-ᇿ]+"##,
        ##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##,
    ]
    /// MiniCPM 5.
    static let miniCPM5: [String] = [
        ##"\p{N}{1,3}"##,
        ##"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}+| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"##,
    ]
}
