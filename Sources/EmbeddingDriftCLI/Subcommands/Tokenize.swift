import ArgumentParser
import DriftCore
import DriftModels
import Foundation

/// `embedding-drift tokenize`: the token ids of texts, exactly as Hugging Face `tokenizers` gives them.
struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the token ids of texts: one JSON array per input, in order, on stdout.",
        discussion: """
            Inputs are every --text in the order given, then every line of --file (a trailing newline does not \
            make an extra empty input; a \\r before the newline is dropped). Special tokens (BOS/EOS/CLS/SEP) are \
            added where the model's tokenizer adds them unless --no-special is given.

            Example: embedding-drift tokenize ./all-MiniLM-L6-v2 --text "The concept of justice is"
            """)

    @Argument(
        help:
            "A checkpoint folder containing tokenizer.json, the tokenizer.json file itself, a .gguf file (its tokenizer metadata) or a Hugging Face Hub model hf:<owner>/<name>[#<revision>]; an @<scheme> suffix is accepted and ignored."
    )
    var model: String

    @OptionGroup var hub: HubOptions

    @Option(name: .customLong("text"), help: "A text to tokenize; repeat for several.")
    var texts: [String] = []

    @Option(help: "A UTF-8 text file; each line is one input.")
    var file: String?

    @Flag(name: .customLong("no-special"), help: "Do not add the special tokens (BOS/EOS/CLS/SEP).")
    var noSpecial = false

    func validate() throws {
        if texts.isEmpty && file == nil { throw ValidationError("Give at least one --text or a --file.") }
    }

    func run() throws {
        let reporter = ProgressReporter()
        let tokenizer = try Tokenize.loadTokenizer(model, hub: hub.resolver(reporter: reporter))
        reporter.finish()
        var inputs = texts
        if let file { inputs += try Tokenize.lines(of: file) }
        var out = ""
        for text in inputs {
            let ids = try tokenizer.encode(text, addSpecialTokens: !noSpecial)
            out += "[" + ids.map(String.init).joined(separator: ",") + "]\n"
            if out.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(out.utf8))
                out = ""
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    /// The tokenizer of a checkpoint folder, a `tokenizer.json` file or a GGUF file (any `@scheme` is irrelevant to
    /// tokens and accepted).
    static func loadTokenizer(_ text: String, hub: HubResolver = HubResolver()) throws -> any Tokenizer {
        if text.hasSuffix(".json"), FileManager.default.fileExists(atPath: text) {
            return try TokenizerLoader.load(tokenizerJSON: URL(fileURLWithPath: text))
        }
        let reference = try ModelReference(parsing: text, hub: hub)
        switch reference.kind {
        case .checkpointFolder:
            return try TokenizerLoader.load(folder: URL(fileURLWithPath: reference.path))
        case .ggufFile:
            let file = try GGUFFile(path: reference.path)
            return try GGUFTokenizerMetadata(gguf: file).makeTokenizer(path: reference.path)
        case .safetensorsFile:
            return try TokenizerLoader.load(folder: URL(fileURLWithPath: reference.path).deletingLastPathComponent())
        }
    }

    /// The lines of a UTF-8 file, without line terminators.
    static func lines(of path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DriftError(.io, "cannot read the input file", path: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DriftError(.corruptFile, "the input file is not UTF-8", path: path)
        }
        // Split on scalars: "\r\n" is one Character, so Character-based splitting would miss it.
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var scalars = String.UnicodeScalarView(line)
            if scalars.last == "\r" { scalars.removeLast() }
            return String(scalars)
        }
        if text.unicodeScalars.last == "\n" { lines.removeLast() }
        return lines
    }
}
