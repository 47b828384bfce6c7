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

    @Argument(help: "A checkpoint folder containing tokenizer.json (or the tokenizer.json file itself).")
    var model: String

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
        let tokenizer = try Tokenize.loadTokenizer(model)
        var inputs = texts
        if let file { inputs += try Tokenize.lines(of: file) }
        var out = ""
        for text in inputs {
            let ids = tokenizer.encode(text, addSpecialTokens: !noSpecial)
            out += "[" + ids.map(String.init).joined(separator: ",") + "]\n"
            if out.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(out.utf8))
                out = ""
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    /// The tokenizer of a checkpoint folder or `tokenizer.json`; GGUF files are not wired in yet.
    static func loadTokenizer(_ path: String) throws -> any Tokenizer {
        let url = URL(fileURLWithPath: path)
        if path.lowercased().hasSuffix(".gguf") {
            throw DriftError(
                .unsupported,
                "reading the tokenizer of a GGUF file is not wired into the command line yet; "
                    + "use a checkpoint folder with tokenizer.json", path: path)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DriftError(.missing, "no such file or folder", path: path)
        }
        return isDirectory.boolValue
            ? try TokenizerLoader.load(folder: url) : try TokenizerLoader.load(tokenizerJSON: url)
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
