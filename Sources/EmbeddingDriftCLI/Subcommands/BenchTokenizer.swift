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
            Benchmarks/scripts/tokenizer_throughput.py on the same tokenizer.json and corpus and prints both.
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
    var script: String = "Benchmarks/scripts/tokenizer_throughput.py"

    @Flag(help: "Print the report as JSON on stdout instead of a table.")
    var json = false

    @Option(help: "Also write the JSON report to this file.")
    var output: String?

    func validate() throws {
        guard seconds > 0, seconds <= 3600 else { throw ValidationError("--seconds must be between 0 and 3600") }
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
    }

    /// One measured configuration.
    struct Row: Codable {
        var name: String
        var stringsPerSecond: Double
        var tokensPerSecond: Double
    }

    /// The benchmark's report.
    struct Report: Codable {
        var tokenizer: String
        var kind: String
        var vocabularySize: Int
        var strings: Int
        var tokensPerPass: Int
        var referenceTokensPerPass: Int?
        var rows: [Row]
    }

    func run() throws {
        let tokenizer = try Tokenize.loadTokenizer(model)
        let texts =
            try corpus.map(Tokenize.lines(of:))
            ?? Array(repeating: BenchTokenizer.builtInCorpus, count: `repeat`).flatMap { $0 }
        let single = try TokenizerThroughput.measure(tokenizer, texts: texts, parallel: false, minimumSeconds: seconds)
        let batch = try TokenizerThroughput.measure(tokenizer, texts: texts, parallel: true, minimumSeconds: seconds)
        var report = Report(
            tokenizer: model, kind: tokenizer.kindDescription, vocabularySize: tokenizer.vocabularySize,
            strings: texts.count, tokensPerPass: single.tokens, referenceTokensPerPass: nil,
            rows: [
                Row(
                    name: "embedding-drift, 1 thread", stringsPerSecond: single.stringsPerSecond,
                    tokensPerSecond: single.tokensPerSecond),
                Row(
                    name: "embedding-drift, \(Parallel.workerCount) threads", stringsPerSecond: batch.stringsPerSecond,
                    tokensPerSecond: batch.tokensPerSecond),
            ])
        if let python { try reference(python: python, texts: texts, into: &report) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(report)
        if let output { try AtomicFile.write(data + Data("\n".utf8), to: URL(fileURLWithPath: output)) }
        if json {
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("tokenizer: \(report.kind), \(report.vocabularySize) tokens; corpus: \(report.strings) strings")
        for row in report.rows {
            print(
                row.name.padding(toLength: 36, withPad: " ", startingAt: 0)
                    + String(format: "%12.0f strings/s %14.0f tokens/s", row.stringsPerSecond, row.tokensPerSecond))
        }
        if let reference = report.referenceTokensPerPass, reference != report.tokensPerPass {
            print(
                "warning: the reference produced \(reference) tokens per pass, embedding-drift \(report.tokensPerPass)")
        }
    }

    /// Runs the `tokenizers` benchmark script on the same tokenizer.json and corpus.
    private func reference(python: String, texts: [String], into report: inout Report) throws {
        let corpusFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("embedding-drift-bench-\(ProcessInfo.processInfo.processIdentifier).txt")
        try AtomicFile.write(Data((texts.joined(separator: "\n") + "\n").utf8), to: corpusFile)
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
                report.rows.append(Row(name: label, stringsPerSecond: sps, tokensPerSecond: tps))
            }
        }
        report.referenceTokensPerPass = result["tokens"] as? Int
    }

    /// A small mixed corpus: prompts, prose, code, numbers and several scripts (no line breaks: the corpus is
    /// handed to the reference one string per line).
    static let builtInCorpus = [
        "The concept of justice is", "The concept of photosynthesis is", "The concept of Nigeria is",
        "Artificial intelligence is transforming how we work, learn and communicate with each other.",
        "In 1969, 600 million people watched the Moon landing; it cost about $25.4 billion.",
        "don't stop believin' — I'll be there at 10:30pm, won't I?",
        "def encode(text):    return [ord(c) for c in text]  # naive",
        "Zürich, São Paulo, Kraków and Reykjavík are cities with accented names.",
        "Москва — столица России, а Київ — столиця України.",
        "机器学习是人工智能的一个分支。", "日本語のテキストを分割します。", "مرحبا بالعالم",
        "Emoji 😀👍🏽 and families 👨‍👩‍👧‍👦 are several scalars each.",
        "    indented    text\twith\ttabs\tand  runs   of    spaces  ",
    ]
}
