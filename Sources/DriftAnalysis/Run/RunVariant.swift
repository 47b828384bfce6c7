/// One variant of a run directory as its manifest describes it (read without any model code).
public struct RunVariant: Sendable, Equatable {
    /// The variant's name (`hidden_<name>.npy`, `embeddings_<name>.npy`, `umap_<name>.npy`).
    public var name: String
    /// The hidden-state indices stored in `hidden_<name>.npy`, in file order (Hugging Face numbering).
    public var layers: [Int]
    /// The width of every vector.
    public var hiddenSize: Int
    /// The number of concepts (rows per layer).
    public var conceptCount: Int
    /// The identity of the variant's extraction (or of an imported file).
    public var fingerprint: String
    /// The prompt token count of each concept in row order; empty when unknown (imported arrays).
    public var tokenCounts: [Int]
    /// Each concept's token-frequency proxy in row order (recorded at extraction); empty when unknown.
    public var tokenFrequency: [Double] = []

    /// Creates a description.
    public init(
        name: String, layers: [Int], hiddenSize: Int, conceptCount: Int, fingerprint: String, tokenCounts: [Int] = []
    ) {
        self.name = name
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.conceptCount = conceptCount
        self.fingerprint = fingerprint
        self.tokenCounts = tokenCounts
    }
}
