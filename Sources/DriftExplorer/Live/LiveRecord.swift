/// What live mode computed for one new term: everything `/api/embed`, `/api/concept/{term}` and
/// `/api/neighbors/{term}` answer for it, kept in memory and in the run's live cache file.
package struct LiveRecord: Codable, Sendable, Equatable {
    /// A pair's cosine distance at one layer.
    package struct Drift: Codable, Sendable, Equatable {
        package var variantA: String
        package var variantB: String
        package var layer: Int
        /// `1 − cos` of the term's two hidden states (raw, as `tables/concept_drift`'s `cosine_distance`); nil when
        /// the two variants differ in width.
        package var cosineDistance: Double?
    }

    /// A variant's nearest run concepts at one layer.
    package struct Neighbors: Codable, Sendable, Equatable {
        package var variant: String
        package var layer: Int
        /// Run concept rows, most similar first.
        package var rows: [Int]
        /// Cosine similarity to each, in the same order.
        package var similarities: [Double]
    }

    /// A variant's projected position in the run's joint UMAP (headline layer).
    package struct Position: Codable, Sendable, Equatable {
        package var variant: String
        /// `[x, y]`; nil entries when UMAP could not place it (no training point within reach).
        package var point: [Double?]
    }

    /// The term as embedded (trimmed).
    package var term: String
    /// Every pair of the run at every stored layer.
    package var drift: [Drift]
    /// Every variant at every stored layer.
    package var neighbors: [Neighbors]
    /// Every variant's UMAP position (empty when the run has no UMAP).
    package var umap: [Position]
    /// Seconds the models and the projection took.
    package var seconds: Double
    /// Every variant's next tokens and logit lens, and every pair's next-token divergence (nil in a cache written
    /// before the explorer read outputs, or when no model has an LM head).
    package var outputs: ExplorerAPI.Outputs? = nil
}
