import DriftCore

/// The identity of one extracted variant: a SHA-256 over everything that changes its vectors.
///
/// That is: the model files (``ModelFiles/hash``), the quantization scheme, the template, special tokens, the
/// pooling, the layer selection, the vocabulary (``Vocabulary/contentHash``), the tool version and — when it is not
/// the default float32 — the compute precision (so float32 fingerprints are those of earlier versions). Two extractions with equal fingerprints give the
/// same files, so a run never extracts a variant twice. The batch size is left out: results do not depend on it.
public enum VariantFingerprint {
    /// The hexadecimal fingerprint.
    ///
    /// - Parameters:
    ///   - modelFilesHash: ``ModelFiles/hash`` of the checkpoint.
    ///   - scheme: the quantization applied on load (`nil` for none).
    ///   - settings: template, pooling, layers and special tokens (the batch size is ignored).
    ///   - vocabularyHash: ``Vocabulary/contentHash``.
    ///   - toolVersion: the tool's version.
    ///   - compute: the linear layers' arithmetic (`--compute`).
    public static func compute(
        modelFilesHash: String, scheme: String?, settings: ExtractionSettings, vocabularyHash: String,
        toolVersion: String, compute: ComputePrecision = .f32
    ) -> String {
        var fields: [(String, String)] = [
            ("model_files", modelFilesHash),
            ("scheme", scheme ?? "none"),
            ("template", settings.template.text),
            ("add_special_tokens", settings.addSpecialTokens ? "true" : "false"),
            ("pooling", settings.pooling.rawValue),
            ("layers", settings.layers.description),
            ("vocabulary", vocabularyHash),
            ("tool_version", toolVersion),
        ]
        if compute != .f32 { fields.append(("compute", compute.rawValue)) }
        var hasher = SHA256()
        hasher.update(text: "embedding-drift variant v1\n")
        for (key, value) in fields {
            let bytes = Array(value.utf8)
            hasher.update(text: "\(key)=\(bytes.count):")
            hasher.update(bytes)
            hasher.update(text: "\n")
        }
        return hasher.hexDigest()
    }
}
