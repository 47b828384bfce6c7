import DriftCore
import Foundation

/// A model as the user names it wherever a model is accepted: a checkpoint folder or a `.gguf` file, optionally
/// followed by `@<scheme>` to quantize it on load (`~/models/Llama-3.2-1B@nf4`, `gemma.gguf@q8_0`).
///
/// Syntax: `<path>[@<scheme>]`. The scheme is the text after the last `@` when it contains no `/`; a path that
/// exists on disk exactly as written (even with an `@` in it) is taken whole. Hub ids are reserved as
/// `hf:<owner>/<name>[#<revision>]` — `#`, never `@`, will carry the revision, so `hf:org/model#main@nf4` stays
/// unambiguous; they are rejected until downloading is implemented.
public struct ModelReference: Sendable, Equatable, CustomStringConvertible {
    /// What the path points at.
    public enum Kind: Sendable, Equatable {
        /// A Hugging Face checkpoint folder (`config.json`, `*.safetensors`, `tokenizer.json`).
        case checkpointFolder
        /// A GGUF file (llama.cpp).
        case ggufFile
        /// A single `.safetensors` file (inspectable; extraction needs its folder).
        case safetensorsFile
    }

    /// The path of the folder or file, as given (without the `@scheme`).
    public var path: String
    /// What the path is.
    public var kind: Kind
    /// The quantization applied on load, or nil.
    public var scheme: QuantizationScheme?

    /// The prefix reserved for Hugging Face Hub ids.
    public static let hubPrefix = "hf:"

    /// Creates a reference from parts (nothing is checked).
    public init(path: String, kind: Kind, scheme: QuantizationScheme? = nil) {
        self.path = path
        self.kind = kind
        self.scheme = scheme
    }

    /// Parses `<path>[@<scheme>]` and checks that the path exists.
    ///
    /// - Throws: ``DriftCore/DriftError``: `.invalidArgument` for an empty reference or an unknown scheme (the message
    ///   lists the schemes); `.unsupported` for a hub id; `.missing` when nothing is at the path (the message says
    ///   what to give); `.unsupported` for a file that is neither GGUF nor safetensors.
    public init(parsing text: String) throws {
        guard !text.isEmpty else {
            throw DriftError(.invalidArgument, "empty model: give a checkpoint folder or a .gguf file, optionally with @<scheme>")
        }
        if text.hasPrefix(Self.hubPrefix) {
            throw DriftError(
                .unsupported,
                "'\(text)': Hugging Face Hub ids are not supported yet; download the checkpoint and give its folder")
        }
        var path = text
        var scheme: QuantizationScheme?
        if !FileManager.default.fileExists(atPath: text), let at = text.lastIndex(of: "@") {
            let suffix = String(text[text.index(after: at)...])
            if !suffix.contains("/") {
                path = String(text[..<at])
                guard !path.isEmpty else {
                    throw DriftError(.invalidArgument, "'\(text)' names no model before '@'")
                }
                guard let parsed = QuantizationScheme(rawValue: suffix.lowercased()) else {
                    let known = QuantizationScheme.allCases.map(\.rawValue).joined(separator: ", ")
                    throw DriftError(
                        .invalidArgument, "unknown quantization scheme '@\(suffix)' in '\(text)'; known schemes: \(known)")
                }
                scheme = parsed
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DriftError(
                .missing,
                "no model here: give a Hugging Face checkpoint folder (config.json, *.safetensors, tokenizer.json) or a .gguf file, optionally followed by @<scheme>",
                path: path)
        }
        let kind: Kind
        if isDirectory.boolValue {
            kind = .checkpointFolder
        } else if path.lowercased().hasSuffix(".safetensors") {
            kind = .safetensorsFile
        } else if path.lowercased().hasSuffix(".gguf") || Self.hasGGUFMagic(path) {
            kind = .ggufFile
        } else {
            throw DriftError(
                .unsupported, "not a model: expected a checkpoint folder, a .gguf file or a .safetensors file",
                path: path)
        }
        self.init(path: path, kind: kind, scheme: scheme)
    }

    /// `path` or `path@scheme`.
    public var description: String {
        scheme.map { "\(path)@\($0.rawValue)" } ?? path
    }

    /// A valid variant name: the folder or file name (without `.gguf`), with `-<scheme>` appended for a variant.
    public var defaultVariantName: String {
        let base = ExtractionWriter.defaultName(forModelAt: URL(fileURLWithPath: path))
        guard let scheme else { return base }
        return String(base.prefix(100 - scheme.rawValue.count - 1)) + "-" + scheme.rawValue
    }

    private static func hasGGUFMagic(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 4)) ?? Data()
        return magic == Data("GGUF".utf8)
    }
}
