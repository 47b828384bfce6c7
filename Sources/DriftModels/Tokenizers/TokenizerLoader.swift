import DriftCore
public import Foundation

/// Loads a tokenizer that reproduces Hugging Face `tokenizers` from a checkpoint's `tokenizer.json`.
public enum TokenizerLoader {
    /// The tokenizer of a checkpoint folder (its `tokenizer.json`).
    ///
    /// - Parameter folder: a Hugging Face checkpoint directory.
    /// - Returns: the tokenizer.
    /// - Throws: `DriftError` naming the file when it is missing, malformed or uses an unsupported component.
    public static func load(folder: URL) throws -> any Tokenizer {
        let file = folder.appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw DriftError(
                .missing, "no tokenizer.json in this checkpoint folder (only tokenizer.json is supported)",
                path: file.path)
        }
        return try load(tokenizerJSON: file)
    }

    /// The tokenizer described by a `tokenizer.json` file.
    ///
    /// - Throws: `DriftError` naming the file when it cannot be read, is not valid JSON, or is unsupported.
    public static func load(tokenizerJSON file: URL) throws -> any Tokenizer {
        let data: Data
        do {
            data = try Data(contentsOf: file, options: .mappedIfSafe)
        } catch {
            throw DriftError(.io, "cannot read the tokenizer file: \(error.localizedDescription)", path: file.path)
        }
        return try load(tokenizerJSONData: data, path: file.path)
    }

    /// The tokenizer described by the bytes of a `tokenizer.json`; `path` names the file in errors.
    public static func load(tokenizerJSONData data: Data, path: String? = nil) throws -> any Tokenizer {
        try TokenizerJSONParser(path: path).parse(data)
    }
}
