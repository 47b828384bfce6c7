public import Foundation

/// Every file name of a run directory, spelled once.
///
/// The layout (every file written atomically):
/// - `manifest.json` — ``RunManifest``: the format and its version, one entry per variant, the run's variant order,
///   the last `compare`, the analysis record;
/// - `concept_metadata.json` — ``ConceptMetadata``: the concepts in row order with their categories;
/// - `hidden_<variant>.npy` (layers × concepts × hidden, float32, raw) and `embeddings_<variant>.npy` (concepts ×
///   hidden, last stored layer, L2-normalised);
/// - `umap_<variant>.npy` — concepts × 2, the joint UMAP of every variant at the headline layer;
/// - `tables/<name>.csv|json` — one ``TableRow`` type per table;
/// - `summary.json` and `summary.md` — the headline figures and the findings in words;
/// - `report.html` and `figures/*.svg` — the report;
/// - `live_cache.json` — the terms `serve --live` embedded, kept between sessions;
/// - `noise/<variant>/` — the variant under each paraphrased template, itself a run directory, for the noise floor.
public struct RunLayout: Sendable, Equatable {
    /// The manifest's file name.
    public static let manifestFileName = "manifest.json"
    /// The concept metadata's file name.
    public static let metadataFileName = "concept_metadata.json"
    /// The folder of the result tables.
    public static let tablesFolderName = "tables"
    /// The folder of the noise-floor paraphrases (`noise/<variant>/`).
    public static let noiseFolderName = "noise"
    /// The headline figures as JSON.
    public static let summaryJSONFileName = "summary.json"
    /// The findings in words (Markdown).
    public static let summaryMarkdownFileName = "summary.md"
    /// The report page.
    public static let reportFileName = "report.html"
    /// The folder of the report's figures.
    public static let figuresFolderName = "figures"
    /// The explorer's cache of terms embedded live (`serve --live`).
    public static let liveCacheFileName = "live_cache.json"

    /// The raw hidden states of variant `name` (layers × concepts × hidden).
    public static func hiddenFileName(_ name: String) -> String { "hidden_\(name).npy" }
    /// The normalised last-layer embeddings of variant `name` (concepts × hidden).
    public static func embeddingsFileName(_ name: String) -> String { "embeddings_\(name).npy" }
    /// The next-token logits of variant `name` at the last prompt token (concepts × vocabulary, float32).
    public static func logitsFileName(_ name: String) -> String { "logits_\(name).npy" }
    /// The logit lens of variant `name` (`layer,term,category,rank,token_id,token,prob`).
    public static func logitLensFileName(_ name: String) -> String { "logit_lens_\(name).csv" }
    /// The ten most likely next tokens of every concept of variant `name` (the logit lens's columns, `layer` the final
    /// hidden-state index).
    public static func nextTokensFileName(_ name: String) -> String { "next_tokens_\(name).csv" }
    /// The UMAP coordinates of variant `name` (concepts × 2).
    public static func umapFileName(_ name: String) -> String { "umap_\(name).npy" }
    /// The file of table `name` in format `fileExtension` (`csv` or `json`), relative to the run directory.
    public static func tablePath(_ name: String, fileExtension: String) -> String {
        "\(tablesFolderName)/\(name).\(fileExtension)"
    }

    /// The run directory.
    public let root: URL

    /// The layout of the run directory at `root`.
    public init(_ root: URL) { self.root = root }

    /// `manifest.json`.
    public var manifest: URL { root.appendingPathComponent(Self.manifestFileName) }
    /// `concept_metadata.json`.
    public var metadata: URL { root.appendingPathComponent(Self.metadataFileName) }
    /// `tables/`.
    public var tables: URL { root.appendingPathComponent(Self.tablesFolderName, isDirectory: true) }
    /// `summary.json`.
    public var summaryJSON: URL { root.appendingPathComponent(Self.summaryJSONFileName) }
    /// `summary.md`.
    public var summaryMarkdown: URL { root.appendingPathComponent(Self.summaryMarkdownFileName) }
    /// `report.html`.
    public var report: URL { root.appendingPathComponent(Self.reportFileName) }
    /// `figures/`.
    public var figures: URL { root.appendingPathComponent(Self.figuresFolderName, isDirectory: true) }

    /// `hidden_<name>.npy`.
    public func hidden(_ name: String) -> URL { root.appendingPathComponent(Self.hiddenFileName(name)) }
    /// `embeddings_<name>.npy`.
    public func embeddings(_ name: String) -> URL { root.appendingPathComponent(Self.embeddingsFileName(name)) }
    /// `umap_<name>.npy`.
    public func umap(_ name: String) -> URL { root.appendingPathComponent(Self.umapFileName(name)) }
    /// `logits_<name>.npy`.
    public func logits(_ name: String) -> URL { root.appendingPathComponent(Self.logitsFileName(name)) }
    /// `logit_lens_<name>.csv`.
    public func logitLens(_ name: String) -> URL { root.appendingPathComponent(Self.logitLensFileName(name)) }
    /// `next_tokens_<name>.csv`.
    public func nextTokens(_ name: String) -> URL { root.appendingPathComponent(Self.nextTokensFileName(name)) }
    /// `tables/<name>.<fileExtension>`.
    public func table(_ name: String, fileExtension: String) -> URL {
        tables.appendingPathComponent("\(name).\(fileExtension)")
    }
    /// `noise/<variant>/`: the run directory of variant `variant`'s template paraphrases.
    public func noise(_ variant: String) -> RunLayout {
        RunLayout(
            root.appendingPathComponent(Self.noiseFolderName, isDirectory: true)
                .appendingPathComponent(variant, isDirectory: true))
    }
    /// Whether the directory has a manifest.
    public var hasManifest: Bool { FileManager.default.fileExists(atPath: manifest.path) }
}
