/// The JSON bodies of the explorer's API (keys in snake_case; null for a number that is not finite).
public enum ExplorerAPI {
    /// `GET /api/run`: what the run holds.
    public struct Run: Codable, Sendable, Equatable {
        public var title: String
        public var variants: [String]
        public var layers: [Int]
        public var headlineLayer: Int
        /// Variant pairs `[a, b]` of the concept table, in the run's time order.
        public var pairs: [[String]]
        public var categories: [CategoryCount]
        public var conceptCount: Int
        /// Concepts worth a first look (the most drifted of each category at the headline layer of the first pair).
        public var examples: [String]
        public var hasUMAP: Bool
        public var live: Bool
        public var notes: [String]
    }

    /// A category and its number of concepts.
    public struct CategoryCount: Codable, Sendable, Equatable {
        public var name: String
        public var n: Int
    }

    /// `GET /api/concepts`.
    public struct Concepts: Codable, Sendable, Equatable {
        public var concepts: [ConceptEntry]
    }

    /// A concept and its category.
    public struct ConceptEntry: Codable, Sendable, Equatable {
        public var term: String
        public var category: String
    }

    /// `GET /api/concept/{term}?pair=a,b&layer=L`: the concept's row of `tables/concept_drift` and its context.
    public struct Concept: Codable, Sendable, Equatable {
        public var term: String
        public var category: String
        public var variantA: String
        public var variantB: String
        public var layer: Int
        public var cosineDistance: Double?
        public var centeredDistance: Double?
        public var procrustesDistance: Double?
        public var jaccard: Double?
        public var secondOrder: Double?
        /// Percentile rank of the cosine distance among all concepts, 0…100.
        public var percentile: Double?
        /// 1 = the most drifted concept of its category for this pair and layer.
        public var categoryRank: Int
        public var categorySize: Int
        /// The category's row of `tables/category_drift`, when present.
        public var categorySummary: CategorySummary?
        /// The concept's drift for every pair at this layer.
        public var pairs: [PairDrift]
        /// The concept's drift for this pair at every layer.
        public var layers: [LayerDrift]
    }

    /// `GET /api/categories?pair=a,b&layer=L`: `tables/category_drift` for one pair and layer, most drifted first.
    public struct Categories: Codable, Sendable, Equatable {
        public var variantA: String
        public var variantB: String
        public var layer: Int
        public var categories: [CategorySummary]
    }

    /// One category's drift (`tables/category_drift`).
    public struct CategorySummary: Codable, Sendable, Equatable {
        public var category: String
        public var n: Int
        public var mean: Double?
        public var ciLow: Double?
        public var ciHigh: Double?
        public var median: Double?
        public var max: Double?
        public var topQuartileShare: Double?
    }

    /// A concept's drift for one pair.
    public struct PairDrift: Codable, Sendable, Equatable {
        public var variantA: String
        public var variantB: String
        public var cosineDistance: Double?
        public var percentile: Double?
        public var jaccard: Double?
    }

    /// A concept's drift at one layer.
    public struct LayerDrift: Codable, Sendable, Equatable {
        public var layer: Int
        public var cosineDistance: Double?
        public var percentile: Double?
    }

    /// `GET /api/neighbors/{term}?variant=v&k=K`: rows of `tables/neighbors`.
    public struct Neighbors: Codable, Sendable, Equatable {
        public var term: String
        public var variant: String
        public var layer: Int
        /// How many neighbours the table stores for this concept.
        public var stored: Int
        public var neighbors: [Neighbor]
    }

    /// One neighbour.
    public struct Neighbor: Codable, Sendable, Equatable {
        public var rank: Int
        public var neighbor: String
        public var category: String
        public var similarity: Double?
    }

    /// `GET /api/umap?variant=v`: the joint UMAP at the headline layer, one `[x, y]` per concept in row order.
    public struct UMAP: Codable, Sendable, Equatable {
        public var layer: Int
        public var concepts: [String]
        public var categories: [String]
        public var variants: [UMAPVariant]
    }

    /// One variant's UMAP coordinates.
    public struct UMAPVariant: Codable, Sendable, Equatable {
        public var name: String
        public var points: [[Double?]]
    }

    /// An error body: `{"error": "...", "suggestions": [...]}` with its HTTP status.
    public struct Failure: Error, Codable, Sendable, Equatable {
        public var status: Int
        public var error: String
        public var suggestions: [String]

        /// Creates an error body.
        public init(status: Int, error: String, suggestions: [String] = []) {
            self.status = status
            self.error = error
            self.suggestions = suggestions
        }
    }
}
