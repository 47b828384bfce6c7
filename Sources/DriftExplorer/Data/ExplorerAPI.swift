/// The JSON bodies of the explorer's API (keys in snake_case; null for a number that is not finite).
package enum ExplorerAPI {
    /// `GET /api/run`: what the run holds.
    package struct Run: Codable, Sendable, Equatable {
        package var title: String
        package var variants: [String]
        package var layers: [Int]
        package var headlineLayer: Int
        /// Variant pairs `[a, b]` of the concept table, in the run's time order.
        package var pairs: [[String]]
        package var categories: [CategoryCount]
        package var conceptCount: Int
        /// Concepts worth a first look (the most drifted of each category at the headline layer of the first pair).
        package var examples: [String]
        package var hasUMAP: Bool
        package var live: Bool
        package var notes: [String]
    }

    /// A category and its number of concepts.
    package struct CategoryCount: Codable, Sendable, Equatable {
        package var name: String
        package var n: Int
    }

    /// `GET /api/concepts`.
    package struct Concepts: Codable, Sendable, Equatable {
        package var concepts: [ConceptEntry]
    }

    /// A concept and its category.
    package struct ConceptEntry: Codable, Sendable, Equatable {
        package var term: String
        package var category: String
    }

    /// `GET /api/concept/{term}?pair=a,b&layer=L`: the concept's row of `tables/concept_drift` and its context.
    package struct Concept: Codable, Sendable, Equatable {
        package var term: String
        package var category: String
        package var variantA: String
        package var variantB: String
        package var layer: Int
        package var cosineDistance: Double?
        package var centeredDistance: Double?
        package var procrustesDistance: Double?
        package var jaccard: Double?
        package var secondOrder: Double?
        /// Percentile rank of the cosine distance among all concepts, 0…100.
        package var percentile: Double?
        /// 1 = the most drifted concept of its category for this pair and layer.
        package var categoryRank: Int
        package var categorySize: Int
        /// The category's row of `tables/category_drift`, when present.
        package var categorySummary: CategorySummary?
        /// The concept's drift for every pair at this layer.
        package var pairs: [PairDrift]
        /// The concept's drift for this pair at every layer.
        package var layers: [LayerDrift]
        /// True for a term embedded in live mode (not one of the run's concepts); absent otherwise.
        package var live: Bool? = nil
        /// A live term's projected UMAP position per variant (absent for the run's concepts: see `/api/umap`).
        package var projection: [UMAPVariant]? = nil
        /// The concept's covariates in `variantA` at this layer (`tables/covariates`), in the table's column order;
        /// absent when the run has none.
        package var covariates: [CovariateValue]? = nil
    }

    /// One covariate of a concept.
    package struct CovariateValue: Codable, Sendable, Equatable {
        package var name: String
        package var value: Double?
    }

    /// `GET /api/categories?pair=a,b&layer=L`: `tables/category_drift` for one pair and layer, most drifted first.
    package struct Categories: Codable, Sendable, Equatable {
        package var variantA: String
        package var variantB: String
        package var layer: Int
        package var categories: [CategorySummary]
    }

    /// One category's drift (`tables/category_drift`).
    package struct CategorySummary: Codable, Sendable, Equatable {
        package var category: String
        package var n: Int
        package var mean: Double?
        package var ciLow: Double?
        package var ciHigh: Double?
        package var median: Double?
        package var max: Double?
        package var topQuartileShare: Double?
    }

    /// A concept's drift for one pair.
    package struct PairDrift: Codable, Sendable, Equatable {
        package var variantA: String
        package var variantB: String
        package var cosineDistance: Double?
        package var percentile: Double?
        package var jaccard: Double?
    }

    /// A concept's drift at one layer.
    package struct LayerDrift: Codable, Sendable, Equatable {
        package var layer: Int
        package var cosineDistance: Double?
        package var percentile: Double?
    }

    /// `GET /api/neighbors/{term}?variant=v&k=K`: rows of `tables/neighbors`.
    package struct Neighbors: Codable, Sendable, Equatable {
        package var term: String
        package var variant: String
        package var layer: Int
        /// How many neighbours the table stores for this concept.
        package var stored: Int
        package var neighbors: [Neighbor]
    }

    /// One neighbour.
    package struct Neighbor: Codable, Sendable, Equatable {
        package var rank: Int
        package var neighbor: String
        package var category: String
        package var similarity: Double?
    }

    /// `GET /api/umap?variant=v`: the joint UMAP at the headline layer, one `[x, y]` per concept in row order.
    package struct UMAP: Codable, Sendable, Equatable {
        package var layer: Int
        package var concepts: [String]
        package var categories: [String]
        package var variants: [UMAPVariant]
    }

    /// One variant's UMAP coordinates.
    package struct UMAPVariant: Codable, Sendable, Equatable {
        package var name: String
        package var points: [[Double?]]
    }

    /// An error body: `{"error": "...", "suggestions": [...]}` with its HTTP status.
    package struct Failure: Error, Codable, Sendable, Equatable {
        package var status: Int
        package var error: String
        package var suggestions: [String]

        /// Creates an error body.
        package init(status: Int, error: String, suggestions: [String] = []) {
            self.status = status
            self.error = error
            self.suggestions = suggestions
        }
    }
}
