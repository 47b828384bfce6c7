import ArgumentParser
import DriftCore
import DriftModels
import Foundation

/// `embedding-drift inspect <model> [--json]`: what a model file or checkpoint folder holds.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a model's architecture, sizes, parameter count, dtypes and tokenizer.",
        discussion: """
            <model> is a Hugging Face checkpoint folder (config.json and model.safetensors or sharded \
            model-*.safetensors with model.safetensors.index.json, usually tokenizer.json), a single .safetensors \
            file, or a .gguf file, optionally followed by @<scheme> (nf4, fp4, int8, q8_0, q4_0, q4_k, q6_k): then \
            the tensors the scheme would quantize show the scheme as their type. For GGUF files the general and \
            architecture metadata and every tensor's stored type are listed too. No weights are read: only file \
            headers, config.json and tokenizer.json. A Hugging Face Hub model hf:<owner>/<name>[#<revision>] is \
            taken from the local cache (downloaded first when missing, unless --offline).
            """
    )

    @Argument(
        help:
            "A checkpoint folder, a .safetensors file, a .gguf file or hf:<owner>/<name>[#<revision>], optionally with @<scheme>."
    )
    var model: String

    @OptionGroup var hub: HubOptions

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    @Flag(name: .long, help: "List every tensor (GGUF files always list them).")
    var tensors = false

    func run() throws {
        let reporter = ProgressReporter()
        let reference = try ModelReference(parsing: model, hub: hub.resolver(reporter: reporter))
        reporter.finish()
        let summary = try ModelSummary.inspect(path: reference.path, scheme: reference.scheme)
        if json {
            print(try Self.json(summary))
        } else {
            print(Self.text(summary, listTensors: tensors || summary.format == "gguf"), terminator: "")
        }
    }

    /// The summary as pretty-printed JSON with sorted keys.
    static func json(_ summary: ModelSummary) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(summary), as: UTF8.self)
    }

    /// The summary as aligned text lines.
    static func text(_ summary: ModelSummary, listTensors: Bool) -> String {
        var lines: [(String, String)] = []
        func add(_ label: String, _ value: String?) { if let value { lines.append((label, value)) } }
        add("model", summary.path)
        add("scheme", summary.scheme.map { "\($0) (quantized on load; tensor types below show what it quantizes)" })
        let files = summary.fileCount == 1 ? "1 file" : "\(summary.fileCount) shards"
        add("format", summary.format == "gguf" ? "GGUF v\(summary.formatVersion ?? 0)" : "safetensors, \(files)")
        add(
            "architecture",
            summary.architecture.map { arch in summary.name.map { "\(arch) (\($0))" } ?? arch }
                ?? "unknown (no config.json)")
        add("parameters", "\(grouped(summary.parameterCount)) (\(abbreviated(summary.parameterCount)))")
        let types = summary.tensorCountByType.keys.sorted {
            (summary.parameterCountByType[$0] ?? 0, $1) > (summary.parameterCountByType[$1] ?? 0, $0)
        }
        add(
            "dtypes",
            types.map { type in
                let count = summary.tensorCountByType[type] ?? 0
                return
                    "\(type) \(count) tensor\(count == 1 ? "" : "s") (\(abbreviated(summary.parameterCountByType[type] ?? 0)))"
            }.joined(separator: ", "))
        if let experts = summary.expertCount {
            add("experts", "\(experts) per routed block, \(summary.activeExpertCount ?? 0) active per token")
            add(
                "active parameters",
                summary.activeParameterCount.map { "\(grouped($0)) (\(abbreviated($0))) per token" })
        }
        add("declared dtype", summary.declaredDType)
        add("layers", summary.layerCount.map(String.init))
        add("hidden size", summary.hiddenSize.map(String.init))
        add("feed-forward", summary.intermediateSize.map(String.init))
        if let heads = summary.attentionHeadCount {
            add("heads", "\(heads) query, \(summary.keyValueHeadCount ?? heads) key/value")
        }
        add("vocabulary", summary.vocabularySize.map(grouped))
        add("context", summary.maxPositionEmbeddings.map(grouped))
        if let kind = summary.tokenizerKind {
            add("tokenizer", "\(kind), \(summary.tokenizerVocabularySize.map(grouped) ?? "?") tokens")
            add("", summary.tokenizerProblem.map { "cannot be used: \($0)" })
        } else {
            add("tokenizer", summary.format == "gguf" ? "none in the metadata" : "none (no tokenizer.json)")
        }
        let width = lines.map(\.0.count).max() ?? 0
        var out =
            lines.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
            .joined(separator: "\n") + "\n"
        if !summary.metadata.isEmpty {
            out += "\nmetadata\n"
            let keyWidth = summary.metadata.map(\.key.count).max() ?? 0
            for item in summary.metadata {
                out +=
                    "  " + item.key.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + "  "
                    + item.type.padding(toLength: 7, withPad: " ", startingAt: 0) + "  " + item.value + "\n"
            }
        }
        if listTensors {
            out += "\ntensors\n"
            let nameWidth = summary.tensors.map(\.name.count).max() ?? 0
            for tensor in summary.tensors {
                out +=
                    "  " + tensor.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                    + tensor.type.padding(toLength: 7, withPad: " ", startingAt: 0) + "  "
                    + "[" + tensor.shape.map(String.init).joined(separator: ", ") + "]\n"
            }
        }
        return out
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// 1234567 → "1.23 M".
    static func abbreviated(_ value: Int) -> String {
        let units: [(Double, String)] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")]
        for (scale, unit) in units where Double(value) >= scale {
            return String(format: "%.2f %@", Double(value) / scale, unit)
        }
        return "\(value)"
    }
}
