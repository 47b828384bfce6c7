import DriftCore

extension ExplorerAPI {
    /// `GET /api/outputs/{term}`: what each variant's LM head says after the concept's prompt (its ten most likely
    /// next tokens, its logit lens across the stored layers) and how the pairs' next-token distributions differ.
    package struct Outputs: Codable, Sendable, Equatable {
        package var term: String
        package var variants: [VariantOutputs]
        package var pairs: [PairOutput]
        /// True for a term embedded in live mode; absent otherwise.
        package var live: Bool? = nil
    }

    /// One variant's next tokens and logit lens (empty when the run did not read them).
    package struct VariantOutputs: Codable, Sendable, Equatable {
        package var variant: String
        package var nextTokens: [Token]
        package var lens: [LensLayer]
    }

    /// A candidate next token.
    package struct Token: Codable, Sendable, Equatable {
        package var rank: Int
        package var tokenId: Int
        /// As the tokenizer decodes it alone.
        package var token: String
        package var prob: Double?
    }

    /// The logit lens at one layer: the most likely next tokens when that layer's state goes through the final norm
    /// and the LM head.
    package struct LensLayer: Codable, Sendable, Equatable {
        package var layer: Int
        package var tokens: [Token]
    }

    /// How the concept's next-token distributions differ between two variants (`tables/next_token`).
    package struct PairOutput: Codable, Sendable, Equatable {
        package var variantA: String
        package var variantB: String
        package var js: Double?
        package var klAb: Double?
        package var klBa: Double?
        package var top1Agree: Bool
        package var top10Jaccard: Double?
        /// Layer by layer, when the run compared the pair's logit lens (`compare --logit-lens`); absent otherwise.
        package var lens: [LensDivergenceLayer]? = nil
    }

    /// How the concept's logit-lens distributions at one layer differ between two variants
    /// (`tables/logit_lens_divergence`).
    package struct LensDivergenceLayer: Codable, Sendable, Equatable {
        package var layer: Int
        package var js: Double?
        package var top1Agree: Bool
    }
}

extension ExplorerAPI.Token {
    /// The token of a next-token or logit-lens row.
    init(_ row: LogitLensRow) {
        self.init(rank: row.rank, tokenId: row.tokenID, token: row.token, prob: finite(row.probability))
    }
}

extension ExplorerAPI.VariantOutputs {
    /// A variant's outputs from its next-token and logit-lens rows (any order).
    init(variant: String, nextTokenRows nextTokens: [LogitLensRow], lensRows lens: [LogitLensRow]) {
        self.variant = variant
        self.nextTokens = nextTokens.sorted { $0.rank < $1.rank }.map(ExplorerAPI.Token.init)
        self.lens = Dictionary(grouping: lens, by: \.layer).sorted { $0.key < $1.key }.map { layer, rows in
            ExplorerAPI.LensLayer(layer: layer, tokens: rows.sorted { $0.rank < $1.rank }.map(ExplorerAPI.Token.init))
        }
    }
}
