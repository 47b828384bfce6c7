import DriftCore

extension SeededRandom {
    /// A generator for `seed` whose sequence is independent of other `stream`s of the same seed (the seed is mixed
    /// with the stream number before SplitMix64 seeding), for per-purpose and per-chunk streams in UMAP.
    init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &+ 1) &* 0x9E37_79B9_7F4A_7C15)
    }
}
