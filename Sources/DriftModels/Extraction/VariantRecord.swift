import Foundation

/// What the manifest records about one extracted variant (one entry of `manifest.json`'s `variants`).
public struct VariantRecord: Sendable {
    /// The variant's name (`embeddings_<name>.npy`).
    public var name: String
    /// The model as given by the user (folder or file path).
    public var modelPath: String
    /// The model files' hash and weight dtype.
    public var modelFiles: ModelFiles
    /// The quantization applied on load, if any.
    public var scheme: String?
    /// Template, pooling, layer selection, special tokens, batch size.
    public var settings: ExtractionSettings
    /// The model's number of blocks.
    public var layerCount: Int
    /// The tool's version.
    public var toolVersion: String
    /// Seconds spent loading the model and tokenizer.
    public var loadSeconds: Double
    /// The linear layers' arithmetic (`--compute`); it changes the vectors, so it is part of the fingerprint.
    public var compute: ComputePrecision
    /// Where the model came from when it was taken from the Hugging Face Hub (recorded as the manifest's `hub`;
    /// not part of the fingerprint, which hashes the files themselves), or nil.
    public var hub: HubOrigin?

    /// Creates a record.
    public init(
        name: String, modelPath: String, modelFiles: ModelFiles, scheme: String? = nil, settings: ExtractionSettings,
        layerCount: Int, toolVersion: String, loadSeconds: Double, compute: ComputePrecision = .f32,
        hub: HubOrigin? = nil
    ) {
        self.name = name
        self.modelPath = modelPath
        self.modelFiles = modelFiles
        self.scheme = scheme
        self.settings = settings
        self.layerCount = layerCount
        self.toolVersion = toolVersion
        self.loadSeconds = loadSeconds
        self.compute = compute
        self.hub = hub
    }

    /// The variant's fingerprint for `vocabulary` (see ``VariantFingerprint``).
    public func fingerprint(vocabulary: Vocabulary) -> String {
        VariantFingerprint.compute(
            modelFilesHash: modelFiles.hash, scheme: scheme, settings: settings,
            vocabularyHash: vocabulary.contentHash, toolVersion: toolVersion, compute: compute)
    }
}

extension VariantRecord {
    /// The record of variant `name` extracted from `checkpoint`, loaded from `reference`: the one place a record is
    /// assembled from a loaded model (`extract`, `compare`, sharded or not, and the noise floor's paraphrases).
    ///
    /// - Parameters:
    ///   - settings: the extraction settings (the paraphrase's template for the noise floor).
    ///   - compute: the linear layers' arithmetic the checkpoint was loaded with.
    ///   - toolVersion: the tool's version (part of the fingerprint).
    public init(
        name: String, reference: ModelReference, checkpoint: LoadedCheckpoint, settings: ExtractionSettings,
        compute: ComputePrecision, toolVersion: String
    ) {
        self.init(
            name: name, modelPath: URL(fileURLWithPath: reference.path).standardizedFileURL.path,
            modelFiles: checkpoint.files, scheme: reference.scheme?.rawValue, settings: settings,
            layerCount: checkpoint.model.layerCount, toolVersion: toolVersion, loadSeconds: checkpoint.loadSeconds,
            compute: compute, hub: reference.hubOrigin)
    }
}
