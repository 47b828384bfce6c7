public import DriftCore
public import Foundation

/// A run directory read without model code: its manifest, its concepts, and each variant's stored vectors.
///
/// The files and their names are ``DriftCore/RunLayout``'s; the manifest is a ``DriftCore/RunManifest`` and the concepts a
/// ``DriftCore/ConceptMetadata``, each read (format, version and fields checked) by its own type.
public struct RunDirectory: Sendable {
    /// The schema version this tool reads and writes (``DriftCore/RunManifest/version``).
    public static let schemaVersion = RunManifest.version

    /// The directory.
    public let url: URL
    /// Its files.
    public let layout: RunLayout
    /// The manifest, as read.
    public let manifest: RunManifest
    /// The concepts in row order.
    public let concepts: [String]
    /// The category of every concept, in row order.
    public let categories: [String]
    /// The user's covariates of the concepts (from the vocabulary's extra numeric columns or fields), in row order.
    public let covariates: CovariateSet
    /// Every variant in the manifest, in manifest order.
    public let variants: [RunVariant]
    /// The run's variants in time order (`variant_order`, else every variant in manifest order).
    public let order: [String]

    /// Opens the run directory at `url`.
    ///
    /// - Throws: ``DriftError`` when there is no manifest, the manifest is of another format or schema version or
    ///   malformed, the concept metadata is missing or malformed, or `variant_order` names an unknown variant.
    public init(_ url: URL) throws {
        self.url = url
        layout = RunLayout(url)
        guard let manifest = try RunManifest.read(in: url) else {
            throw DriftError(
                .missing, "not a run directory (no \(RunLayout.manifestFileName)); run `compare` or `import` first",
                path: url.path)
        }
        self.manifest = manifest
        (concepts, categories, covariates) = try Self.readMetadataWithCovariates(in: url)
        variants = manifest.variants.map { entry in
            RunVariant(
                name: entry.name, layers: entry.layers, hiddenSize: entry.hiddenSize, conceptCount: entry.conceptCount,
                fingerprint: entry.fingerprint ?? "", tokenCounts: entry.tokenCounts ?? [])
        }
        let names = variants.map(\.name)
        for name in manifest.order where !names.contains(name) {
            throw DriftError(
                .corruptFile, "variant_order names \"\(name)\", which has no entry in the manifest",
                path: layout.manifest.path)
        }
        order = manifest.order
    }

    /// The variant named `name`.
    ///
    /// - Throws: ``DriftError`` (`.missing`) when the manifest has no such variant.
    public func variant(_ name: String) throws -> RunVariant {
        guard let variant = variants.first(where: { $0.name == name }) else {
            throw DriftError(
                .missing,
                "the run has no variant \"\(name)\" (it has: \(variants.map(\.name).joined(separator: ", ")))",
                path: layout.manifest.path)
        }
        return variant
    }

    /// The stored vectors of `variant`, one matrix per stored layer (rows = concepts, columns = hidden size), in the
    /// order of ``RunVariant/layers``.
    ///
    /// - Throws: ``DriftError`` when the file is missing, not float, or its shape contradicts the manifest or the
    ///   concept list.
    public func hiddenStates(of variant: RunVariant) throws -> [Matrix] {
        let file = layout.hidden(variant.name)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw DriftError(
                .missing, "variant \"\(variant.name)\" is in the manifest but its vectors are missing", path: file.path)
        }
        let array = try NumpyArray(contentsOf: file)
        let expected = [variant.layers.count, concepts.count, variant.hiddenSize]
        guard array.shape == expected, array.elementType.isFloatingPoint else {
            throw DriftError(
                .corruptFile,
                "expected a float array of shape \(expected) (layers × concepts × hidden, from the manifest and "
                    + "concept_metadata.json), found \(array.elementType.rawValue) \(array.shape)",
                path: file.path)
        }
        let values = array.floatValues()
        let size = concepts.count * variant.hiddenSize
        return (0..<variant.layers.count).map { p in
            Matrix(
                rows: concepts.count, columns: variant.hiddenSize, storage: Array(values[(p * size)..<((p + 1) * size)])
            )
        }
    }

    /// A JSON number, or null for NaN and infinities (which JSON cannot hold).
    package static func jsonNumber(_ x: Double) -> Any { x.isFinite ? x : NSNull() }

    // MARK: - Concept metadata

    /// The concepts and categories of `concept_metadata.json` (its `rows`).
    static func readMetadata(in directory: URL) throws -> (concepts: [String], categories: [String]) {
        let read = try readMetadataWithCovariates(in: directory)
        return (read.concepts, read.categories)
    }

    /// The concepts, categories and user covariates of `concept_metadata.json`.
    ///
    /// - Throws: ``DriftError`` naming the file, the concept and the covariate when a row lacks one of
    ///   `covariate_names`.
    static func readMetadataWithCovariates(
        in directory: URL
    ) throws -> (concepts: [String], categories: [String], covariates: CovariateSet) {
        guard let metadata = try ConceptMetadata.read(in: directory) else {
            throw DriftError(
                .missing, "the run directory has no concept metadata", path: RunLayout(directory).metadata.path)
        }
        guard !metadata.rows.isEmpty else {
            throw DriftError(.corruptFile, "no concepts", path: RunLayout(directory).metadata.path)
        }
        var values: [[Double]] = []
        for name in metadata.covariateNames {
            values.append(
                try metadata.rows.map { row in
                    guard let value = row.covariates?[name] else {
                        throw DriftError(
                            .corruptFile,
                            "concept \(DriftError.quote(row.term)) has no covariate \(DriftError.quote(name))",
                            path: RunLayout(directory).metadata.path)
                    }
                    return value
                })
        }
        return (
            metadata.terms, metadata.categories, CovariateSet(names: metadata.covariateNames, values: values)
        )
    }
}
