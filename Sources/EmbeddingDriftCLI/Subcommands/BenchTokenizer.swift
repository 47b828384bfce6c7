import ArgumentParser
import DriftCore
import DriftModels
import Foundation

/// `embedding-drift bench tokenizer`: tokenizer throughput next to Hugging Face `tokenizers` on the same corpus.
struct BenchTokenizer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Measure tokenizer throughput (strings/s), optionally next to Hugging Face tokenizers.",
        discussion: """
            Encodes every line of --corpus (or a built-in mixed corpus repeated --repeat times) for at least \
            --seconds, on one thread and spread over all cores. With --python, runs \
            Scripts/bench/tokenizer_throughput.py on the same tokenizer.json and corpus and prints both.
            """)

    @Argument(help: "A checkpoint folder containing tokenizer.json (or the tokenizer.json file itself).")
    var model: String

    @Option(help: "A UTF-8 file; each line is one string of the corpus.")
    var corpus: String?

    @Option(help: "Copies of the built-in corpus when no --corpus is given.")
    var `repeat`: Int = 50

    @Option(help: "Least seconds to time each measurement.")
    var seconds: Double = 2

    @Option(help: "A Python with `tokenizers` installed, to measure the reference in the same run.")
    var python: String?

    @Option(help: "The reference benchmark script.")
    var script: String = "Scripts/bench/tokenizer_throughput.py"

    func run() throws {
        let tokenizer = try Tokenize.loadTokenizer(model)
        let texts =
            try corpus.map(Tokenize.lines(of:))
            ?? Array(repeating: BenchTokenizer.builtInCorpus, count: max(1, `repeat`)).flatMap { $0 }
        print(
            "tokenizer: \(tokenizer.kindDescription), \(tokenizer.vocabularySize) tokens; corpus: \(texts.count) strings"
        )
        let single = TokenizerThroughput.measure(tokenizer, texts: texts, parallel: false, minimumSeconds: seconds)
        let batch = TokenizerThroughput.measure(tokenizer, texts: texts, parallel: true, minimumSeconds: seconds)
        func row(_ name: String, _ stringsPerSecond: Double, _ tokensPerSecond: Double) {
            print(
                name.padding(toLength: 36, withPad: " ", startingAt: 0)
                    + String(format: "%12.0f strings/s %14.0f tokens/s", stringsPerSecond, tokensPerSecond))
        }
        row("embedding-drift, 1 thread", single.stringsPerSecond, single.tokensPerSecond)
        row("embedding-drift, \(Parallel.workerCount) threads", batch.stringsPerSecond, batch.tokensPerSecond)
        guard let python else { return }
        let corpusFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("embedding-drift-bench-\(ProcessInfo.processInfo.processIdentifier).txt")
        try AtomicFile.write(Data(texts.joined(separator: "\n").utf8 + [0x0A]), to: corpusFile)
        defer { try? FileManager.default.removeItem(at: corpusFile) }
        var tokenizerFile = URL(fileURLWithPath: model)
        if !model.hasSuffix(".json") { tokenizerFile.appendPathComponent("tokenizer.json") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, tokenizerFile.path, corpusFile.path, "--seconds", String(seconds)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let result = try JSONSerialization.jsonObject(with: output) as? [String: Any]
        else {
            throw DriftError(.io, "the reference benchmark failed (exit \(process.terminationStatus))", path: script)
        }
        for (key, label) in [("single", "tokenizers encode, 1 call each"), ("batch", "tokenizers encode_batch")] {
            if let r = result[key] as? [String: Double], let sps = r["strings_per_second"],
                let tps = r["tokens_per_second"]
            {
                row(label, sps, tps)
            }
        }
        if let tokens = result["tokens"] as? Int, tokens != single.tokens {
            print("warning: the reference produced \(tokens) tokens per pass, embedding-drift \(single.tokens)")
        }
    }

    /// A small mixed corpus: prompts, prose, code, numbers and several scripts.
    static let builtInCorpus = [
        "The concept of justice is", "The concept of photosynthesis is", "The concept of Nigeria is",
        "Artificial intelligence is transforming how we work, learn and communicate with each other.",
        "In 1969, 600 million people watched the Moon landing; it cost about $25.4 billion.",
        "don't stop believin' — I'll be there at 10:30pm, won't I?",
        "def encode(text):\n    return [ord(c) for c in text]  # naive\n",
        "Zürich, São Paulo, Kraków and Reykjavík are cities with accented names.",
        "Москва — столица России, а Київ — столиця України.",
        "机器学习是人工智能的一个分支。", "日本語のテキストを分割します。", "مرحبا بالعالم",
        "Emoji 😀👍🏽 and families 👨‍👩‍👧‍👦 are several scalars each.",
        "    indented    text\twith\ttabs\nand newlines\n",
    ]
}
