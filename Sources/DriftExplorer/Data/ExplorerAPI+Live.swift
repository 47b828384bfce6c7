extension ExplorerAPI {
    /// The body of `POST /api/embed`.
    package struct EmbedRequest: Codable, Sendable, Equatable {
        /// The term (trimmed; 1…200 characters, no control characters).
        package var term: String
        /// The layer of the answer's drift and neighbours (default: the headline layer).
        package var layer: Int?
        /// Neighbours per variant (default 10).
        package var k: Int?
    }

    /// `POST /api/embed`: a term run through every variant's model and placed among the run's concepts.
    package struct Embedded: Codable, Sendable, Equatable {
        package var term: String
        /// Always true: the figures come from the models, not the run's tables.
        package var live: Bool
        /// Whether the answer came from the live cache (no model ran).
        package var cached: Bool
        /// Seconds the models and the projection took when the term was first embedded.
        package var seconds: Double
        package var layer: Int
        /// Per variant pair: the term's cosine distance at `layer` and its percentile among the run's concepts
        /// (the share of them drifting less, ties half).
        package var pairs: [PairDrift]
        /// Per variant: the k run concepts most cosine-similar to the term at `layer`.
        package var neighbors: [VariantNeighbors]
        /// Per variant: the term's position projected into the run's joint UMAP (headline layer).
        package var umap: [UMAPVariant]
    }

    /// One variant's nearest run concepts.
    package struct VariantNeighbors: Codable, Sendable, Equatable {
        package var variant: String
        package var neighbors: [Neighbor]
    }
}
