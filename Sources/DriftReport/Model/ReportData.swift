public import DriftAnalysis

/// Everything the report shows, read from a run directory (or built in memory): the tables' rows, the UMAP
/// coordinates, and notes on what is missing.
public struct ReportData: Sendable {
    /// The run's name (the directory's last component), shown in the page title.
    public var title: String
    /// The variants in time order.
    public var variants: [String]
    /// The concepts in row order (the order of the UMAP arrays).
    public var concepts: [String]
    /// The category of every concept, in row order.
    public var categories: [String] { didSet { categoryOrder = Self.categoryOrder(categories, conceptDrift) } }
    /// The headline layer (the tables' last common layer unless the manifest says otherwise).
    public var headlineLayer: Int
    /// `tables/concept_drift` rows (every pair and layer).
    public var conceptDrift: [ConceptDriftRow] {
        didSet { categoryOrder = Self.categoryOrder(categories, conceptDrift) }
    }
    /// `tables/category_drift` rows.
    public var categoryDrift: [CategoryDriftRow]
    /// `tables/category_tests` rows.
    public var categoryTests: [CategoryTestRow]
    /// `tables/global` rows.
    public var global: [GlobalRow]
    /// `tables/neighbors` rows.
    public var neighbors: [NeighborRow]
    /// Joint UMAP coordinates at the headline layer: variant → one (x, y) per concept, in row order.
    public var umap: [String: [SIMD2<Double>]]
    /// Noise floor per variant when measured (`tables/noise_floor`): variant → mean drift between templates.
    public var noiseFloor: [String: Double]
    /// Why something is missing (a table or the UMAP absent, unreadable or inconsistent); shown on the page.
    public var notes: [String]
    /// Whether the variants are checkpoints in time order (`--series`): the time profile is drawn for two too.
    public var series = false
    /// What the variants' LM heads said (next-token divergence and tokens), when the run read it.
    public var output = ReportOutput()
    /// The covariate-adjusted analysis (empty when the run has none).
    public var covariates = CovariateReport()

    /// Creates report data; `umap`, `noiseFloor` and `notes` may be empty.
    public init(
        title: String, variants: [String], concepts: [String], categories: [String], headlineLayer: Int,
        conceptDrift: [ConceptDriftRow], categoryDrift: [CategoryDriftRow], categoryTests: [CategoryTestRow],
        global: [GlobalRow], neighbors: [NeighborRow], umap: [String: [SIMD2<Double>]] = [:],
        noiseFloor: [String: Double] = [:], notes: [String] = []
    ) {
        self.title = title
        self.variants = variants
        self.concepts = concepts
        self.categories = categories
        self.headlineLayer = headlineLayer
        self.conceptDrift = conceptDrift
        self.categoryDrift = categoryDrift
        self.categoryTests = categoryTests
        self.global = global
        self.neighbors = neighbors
        self.umap = umap
        self.noiseFloor = noiseFloor
        self.notes = notes
        self.categoryOrder = Self.categoryOrder(categories, conceptDrift)
    }

    /// The distinct categories, sorted; a category's colour is its index here in every figure.
    public private(set) var categoryOrder: [String]

    static func categoryOrder(_ categories: [String], _ rows: [ConceptDriftRow]) -> [String] {
        Array(Set(categories).union(rows.map(\.category))).sorted()
    }

    /// The variant pairs of the concept table at the headline layer, in the run's time order.
    public var pairs: [VariantPair] {
        var seen = Set<VariantPair>()
        var pairs: [VariantPair] = []
        for row in conceptDrift where row.layer == headlineLayer {
            let pair = VariantPair(row.variantA, row.variantB)
            if seen.insert(pair).inserted { pairs.append(pair) }
        }
        let rank = Dictionary(variants.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return pairs.sorted { x, y in
            let kx = (rank[x.a] ?? Int.max, rank[x.b] ?? Int.max)
            let ky = (rank[y.a] ?? Int.max, rank[y.b] ?? Int.max)
            return kx != ky ? kx < ky : x < y
        }
    }

    /// The layers of the global table, ascending.
    public var layers: [Int] { Array(Set(global.map(\.layer)).union(conceptDrift.map(\.layer))).sorted() }

    /// The colour of `category` (its index in ``categoryOrder``).
    func color(ofCategory category: String) -> String {
        Palette.category(categoryOrder.firstIndex(of: category) ?? 0)
    }

    /// Concept rows of `pair` at the headline layer.
    func conceptRows(_ pair: VariantPair) -> [ConceptDriftRow] {
        conceptDrift.filter { $0.layer == headlineLayer && $0.variantA == pair.a && $0.variantB == pair.b }
    }

    /// Mean cosine drift of concept rows between `x` and `y` at the headline layer in either orientation, by
    /// concept.
    func drift(between x: String, and y: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for row in conceptDrift
        where row.layer == headlineLayer
            && ((row.variantA == x && row.variantB == y) || (row.variantA == y && row.variantB == x))
        {
            out[row.concept] = row.cosineDistance
        }
        return out
    }

    /// The global row of `x` and `y` at `layer`, in either orientation.
    func globalRow(_ x: String, _ y: String, layer: Int) -> GlobalRow? {
        global.first {
            $0.layer == layer && (($0.variantA == x && $0.variantB == y) || ($0.variantA == y && $0.variantB == x))
        }
    }
}
