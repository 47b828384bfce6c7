import Dispatch
import DriftCore

/// Measures how fast a tokenizer encodes a corpus, for benchmarks (never for tests).
public enum TokenizerThroughput {
    /// One measurement.
    public struct Measurement: Sendable {
        /// Strings encoded per pass.
        public var strings: Int
        /// Tokens produced per pass.
        public var tokens: Int
        /// Passes over the corpus that were timed.
        public var passes: Int
        /// Wall-clock seconds of the timed passes.
        public var seconds: Double
        /// Strings per second.
        public var stringsPerSecond: Double { Double(strings * passes) / max(seconds, 1e-12) }
        /// Tokens per second.
        public var tokensPerSecond: Double { Double(tokens * passes) / max(seconds, 1e-12) }
    }

    /// Encodes `texts` repeatedly for at least `minimumSeconds` after one untimed warm-up pass.
    ///
    /// - Parameters:
    ///   - tokenizer: the tokenizer.
    ///   - texts: the corpus.
    ///   - addSpecialTokens: passed to every `encode`.
    ///   - parallel: spread each pass over ``Parallel/workerCount`` threads (as `encode_batch` does).
    ///   - minimumSeconds: the least time to measure.
    /// - Throws: `DriftError` when the tokenizer fails on a text (the untimed warm-up pass, run on one thread,
    ///   finds it).
    public static func measure(
        _ tokenizer: any Tokenizer, texts: [String], addSpecialTokens: Bool = true,
        parallel: Bool = false, minimumSeconds: Double = 1.0
    ) throws -> Measurement {
        var tokens = 0
        for t in texts { tokens += try tokenizer.encode(t, addSpecialTokens: addSpecialTokens).count }
        func pass() -> Int {
            if !parallel {
                var tokens = 0
                for t in texts { tokens += (try? tokenizer.encode(t, addSpecialTokens: addSpecialTokens).count) ?? 0 }
                return tokens
            }
            let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(texts.count, 1))
            defer { counts.deallocate() }
            let box = CountsBox(counts)
            Parallel.forEachChunk(texts.count, minimumChunk: 16) { range in
                for i in range {
                    box.buffer[i] = (try? tokenizer.encode(texts[i], addSpecialTokens: addSpecialTokens).count) ?? 0
                }
            }
            return counts[0..<texts.count].reduce(0, +)
        }
        _ = pass()
        var passes = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            _ = pass()
            passes += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < minimumSeconds
        return Measurement(strings: texts.count, tokens: tokens, passes: passes, seconds: elapsed)
    }
}

/// Per-string token counts written from several threads, each to its own indices.
///
/// `@unchecked Sendable`: `Parallel.forEachChunk` hands every index to exactly one thread while the caller waits.
private struct CountsBox: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Int>
    init(_ buffer: UnsafeMutableBufferPointer<Int>) { self.buffer = buffer }
}
