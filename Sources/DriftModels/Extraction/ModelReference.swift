import DriftCore
import Foundation

/// A model as the user names it wherever a model is accepted: a checkpoint folder or a `.gguf` file, optionally
/// followed by `@<scheme>` to quantize it on load (`~/models/Llama-3.2-1B@nf4`, `gemma.gguf@q8_0`).
///
/// Syntax: `<path>[@<scheme>]`. The scheme is the text after the last `@` when it contains no `/`; a path that
/// exists on disk exactly as written (even with an `@` in it) is taken whole.
///
/// A Hugging Face Hub model is `hf:<owner>/<name>[#<revision>][@<scheme>]` (`hf:allenai/OLMo-1B-hf#step20000-tokens84B`,
/// `hf:meta-llama/Llama-3.2-1B@nf4`): `#`, never `@`, carries the revision (branch, tag or commit; default `main`).
/// A bare `<owner>/<name>[#<revision>][@<scheme>]` is a hub id too when no file or folder exists at that relative
/// path — a local folder of that name always wins. Hub ids resolve through ``HubResolver`` to a snapshot folder in
/// the Hugging Face cache (downloading what is missing unless offline); ``path`` is then that folder and ``hub``
/// the id.
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
    /// The Hugging Face Hub model whose cached snapshot ``path`` is, or nil for a local path.
    public var hub: HubModelID?

    /// For a hub model, the repository, revision and commit of its snapshot (``path`` is `…/snapshots/<commit>`);
    /// nil for a local path.
    public var hubOrigin: HubOrigin? {
        hub.flatMap { HubOrigin(id: $0, snapshot: URL(fileURLWithPath: path)) }
    }

    /// The prefix reserved for Hugging Face Hub ids.
    public static let hubPrefix = "hf:"

    /// Creates a reference from parts (nothing is checked).
    public init(path: String, kind: Kind, scheme: QuantizationScheme? = nil) {
        self.path = path
        self.kind = kind
        self.scheme = scheme
    }

    /// Parses `<path>[@<scheme>]` and checks that the path exists; a hub id is resolved with a ``HubResolver``
    /// reading the process environment (it may download).
    ///
    /// - Throws: ``DriftCore/DriftError``: `.invalidArgument` for an empty reference or an unknown scheme (the message
    ///   lists the schemes); `.missing` when nothing is at the path (the message says what to give); `.unsupported`
    ///   for a file that is neither GGUF nor safetensors; for hub ids, what ``HubResolver/snapshot(for:)`` throws.
    public init(parsing text: String) throws {
        try self.init(parsing: text, hub: HubResolver())
    }

    /// Parses a reference, resolving a hub id (`hf:owner/name#rev@scheme`, or a bare `owner/name` that is not a
    /// local path) with `resolver`.
    ///
    /// - Throws: as ``init(parsing:)``.
    public init(parsing text: String, hub resolver: HubResolver) throws {
        guard !text.isEmpty else {
            throw DriftError(
                .invalidArgument, "empty model: give a checkpoint folder or a .gguf file, optionally with @<scheme>")
        }
        if text.hasPrefix(Self.hubPrefix) {
            let (idText, scheme) = try Self.splitScheme(String(text.dropFirst(Self.hubPrefix.count)), of: text)
            let id = try HubModelID(parsing: idText)
            self.init(path: try resolver.snapshot(for: id).path, kind: .checkpointFolder, scheme: scheme)
            hub = id
            return
        }
        var path = text
        var scheme: QuantizationScheme?
        if !FileManager.default.fileExists(atPath: text) {
            (path, scheme) = try Self.splitScheme(text, of: text)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if !path.hasPrefix("."), !path.hasPrefix("~"), HubModelID.looksLikeHubID(path) {
                let id = try HubModelID(parsing: path)
                let folder: URL
                do {
                    folder = try resolver.snapshot(for: id)
                } catch let error as DriftError where error.kind == .missing || error.kind == .network {
                    throw DriftError(
                        error.kind, "no local file or folder '\(path)', and as a Hugging Face Hub id: \(error.message)",
                        path: error.path)
                }
                self.init(path: folder.path, kind: .checkpointFolder, scheme: scheme)
                hub = id
                return
            }
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

    /// `path` or `path@scheme` (`hf:owner/name#revision@scheme` for a hub model).
    public var description: String {
        let base = hub.map { Self.hubPrefix + $0.description } ?? path
        return scheme.map { "\(base)@\($0.rawValue)" } ?? base
    }

    /// A valid variant name: the folder or file name (without `.gguf`) — for a hub model its name, with
    /// `-<revision>` unless the revision is `main` — with `-<scheme>` appended for a variant.
    public var defaultVariantName: String {
        let base =
            hub.map { id in
                let name = String(id.repository.split(separator: "/").last ?? "model")
                return ExtractionWriter.defaultName(
                    forModelAt: URL(
                        fileURLWithPath: id.revision == HubModelID.defaultRevision
                            ? name : name + "-" + id.revision.replacingOccurrences(of: "/", with: "-")))
            } ?? ExtractionWriter.defaultName(forModelAt: URL(fileURLWithPath: path))
        guard let scheme else { return base }
        return String(base.prefix(100 - scheme.rawValue.count - 1)) + "-" + scheme.rawValue
    }

    /// Splits `<name>@<scheme>` at the last `@` when the text after it has no `/`.
    private static func splitScheme(_ text: String, of whole: String) throws -> (String, QuantizationScheme?) {
        guard let at = text.lastIndex(of: "@") else { return (text, nil) }
        let suffix = String(text[text.index(after: at)...])
        guard !suffix.contains("/") else { return (text, nil) }
        let path = String(text[..<at])
        guard !path.isEmpty else {
            throw DriftError(.invalidArgument, "'\(whole)' names no model before '@'")
        }
        guard let parsed = QuantizationScheme(rawValue: suffix.lowercased()) else {
            let known = QuantizationScheme.allCases.map(\.rawValue).joined(separator: ", ")
            throw DriftError(
                .invalidArgument, "unknown quantization scheme '@\(suffix)' in '\(whole)'; known schemes: \(known)")
        }
        return (path, parsed)
    }

    private static func hasGGUFMagic(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 4)) ?? Data()
        return magic == Data("GGUF".utf8)
    }
}
