import Foundation

/// Byte-pair encoding as `tokenizers`' `BPE` model: initial symbols are scalars (byte-level scalars for GPT-2
/// style vocabularies), unknown scalars fall back to `<0xNN>` byte tokens or the (optionally fused) unknown token,
/// then the lowest-ranked adjacent pair is merged, leftmost first, until no pair has a merge.
struct BPEModel: Sendable {
    /// Token string → id.
    let vocabulary: [TokenKey: Int]
    /// (left id << 32 | right id) → (rank, merged id).
    let merges: [UInt64: Merge]
    let unknownID: Int?
    let continuingSubwordPrefix: String?
    let endOfWordSuffix: String?
    let fuseUnknown: Bool
    let byteFallback: Bool
    let ignoreMerges: Bool
    /// Whether a word of newlines only is taken whole when it is a token (llama.cpp's Gemma 4 and mmBERT).
    let wholeNewlineWords: Bool
    /// Id of each single-scalar token, for the common case without prefix or suffix.
    private let scalarIDs: [UInt32: Int32]
    /// Ids of `<0x00>`…`<0xFF>` when `byteFallback` (−1 where missing).
    private let byteIDs: [Int32]
    private let cache: WordCache

    struct Merge: Sendable {
        var rank: Int32
        var id: Int32
    }

    init(
        vocabulary: [TokenKey: Int], merges: [UInt64: Merge], unknownID: Int?, continuingSubwordPrefix: String?,
        endOfWordSuffix: String?, fuseUnknown: Bool, byteFallback: Bool, ignoreMerges: Bool,
        wholeNewlineWords: Bool = false
    ) {
        self.vocabulary = vocabulary
        self.merges = merges
        self.unknownID = unknownID
        self.continuingSubwordPrefix = continuingSubwordPrefix.flatMap { $0.isEmpty ? nil : $0 }
        self.endOfWordSuffix = endOfWordSuffix.flatMap { $0.isEmpty ? nil : $0 }
        self.fuseUnknown = fuseUnknown
        self.byteFallback = byteFallback
        self.ignoreMerges = ignoreMerges
        self.wholeNewlineWords = wholeNewlineWords
        var scalarIDs: [UInt32: Int32] = [:]
        for (token, id) in vocabulary {
            let scalars = token.string.unicodeScalars
            if scalars.count == 1, let c = scalars.first { scalarIDs[c.value] = Int32(id) }
        }
        self.scalarIDs = scalarIDs
        var byteIDs = [Int32](repeating: -1, count: 256)
        if byteFallback {
            for b in 0..<256 {
                if let id = vocabulary[TokenKey(String(format: "<0x%02X>", b))] { byteIDs[b] = Int32(id) }
            }
        }
        self.byteIDs = byteIDs
        cache = WordCache()
    }

    /// The rank of the merge that makes each token, the lowest when several do.
    ///
    /// Tokens no merge makes (single symbols, bytes) are absent. A token-frequency proxy: BPE learns its merges most
    /// frequent first.
    func producingRanks() -> [Int: Int] {
        var ranks: [Int: Int] = [:]
        for merge in merges.values {
            let id = Int(merge.id)
            ranks[id] = min(ranks[id] ?? Int(merge.rank), Int(merge.rank))
        }
        return ranks
    }

    @inline(__always) static func key(_ a: Int32, _ b: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
    }

    /// Appends the ids of one pre-tokenized piece.
    func tokenize(_ piece: [Unicode.Scalar], into out: inout [Int]) {
        if piece.isEmpty { return }
        // The cache also holds ignore_merges hits, so looking it up first does not change the result.
        if let hit = cache.get(piece) {
            out.append(contentsOf: hit.lazy.map { Int($0) })
            return
        }
        if ignoreMerges || (wholeNewlineWords && piece.allSatisfy { $0 == "\n" }),
            let id = vocabulary[TokenKey(piece)]
        {
            cache.set(piece, [Int32(id)])
            out.append(id)
            return
        }
        var ids = initialSymbols(piece)
        mergeAll(&ids)
        cache.set(piece, ids)
        out.append(contentsOf: ids.lazy.map { Int($0) })
    }

    private func initialSymbols(_ piece: [Unicode.Scalar]) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(piece.count)
        var pendingUnknown = false
        let simple = continuingSubwordPrefix == nil && endOfWordSuffix == nil
        for (i, c) in piece.enumerated() {
            var id: Int32?
            if simple {
                id = scalarIDs[c.value]
            } else {
                var s = String(c)
                if i > 0, let prefix = continuingSubwordPrefix { s = prefix + s }
                if i == piece.count - 1, let suffix = endOfWordSuffix { s += suffix }
                id = vocabulary[TokenKey(s)].map { Int32($0) }
            }
            if let id {
                if pendingUnknown, let unknownID { ids.append(Int32(unknownID)) }
                pendingUnknown = false
                ids.append(id)
                continue
            }
            if byteFallback {
                var bytes: [Int32] = []
                var complete = true
                var s = String(c)
                if !simple {
                    if i > 0, let prefix = continuingSubwordPrefix { s = prefix + s }
                    if i == piece.count - 1, let suffix = endOfWordSuffix { s += suffix }
                }
                for b in s.utf8 {
                    let byteID = byteIDs[Int(b)]
                    if byteID < 0 { complete = false; break }
                    bytes.append(byteID)
                }
                if complete {
                    ids.append(contentsOf: bytes)
                    continue
                }
            }
            if let unknownID {
                if pendingUnknown && !fuseUnknown { ids.append(Int32(unknownID)) }
                pendingUnknown = true
            }
        }
        if pendingUnknown, let unknownID { ids.append(Int32(unknownID)) }
        return ids
    }

    /// Merges the lowest-ranked adjacent pair, leftmost first, until none has a merge.
    ///
    /// Short words rescan an array of pair ranks (fast for the usual few symbols); long words use a heap over
    /// (rank, position) as `tokenizers` does, so a very long word stays O(n log n).
    private func mergeAll(_ ids: inout [Int32]) {
        guard ids.count > 1 else { return }
        if ids.count > 48 {
            mergeLong(&ids)
            return
        }
        var ranks = [Int32](repeating: Int32.max, count: ids.count - 1)
        var newIDs = [Int32](repeating: 0, count: ids.count - 1)
        for i in 0..<(ids.count - 1) {
            if let m = merges[BPEModel.key(ids[i], ids[i + 1])] {
                ranks[i] = m.rank
                newIDs[i] = m.id
            }
        }
        while ids.count > 1 {
            var best = -1
            var bestRank = Int32.max
            for i in 0..<ranks.count where ranks[i] < bestRank {
                bestRank = ranks[i]
                best = i
            }
            if best < 0 { break }
            ids[best] = newIDs[best]
            ids.remove(at: best + 1)
            ranks.remove(at: best)
            newIDs.remove(at: best)
            if best > 0 {
                if let m = merges[BPEModel.key(ids[best - 1], ids[best])] {
                    ranks[best - 1] = m.rank
                    newIDs[best - 1] = m.id
                } else {
                    ranks[best - 1] = Int32.max
                }
            }
            if best < ranks.count {
                if let m = merges[BPEModel.key(ids[best], ids[best + 1])] {
                    ranks[best] = m.rank
                    newIDs[best] = m.id
                } else {
                    ranks[best] = Int32.max
                }
            }
        }
    }
}

extension BPEModel {
    /// The heap-based merge for long words: a linked list of symbols and a min-heap of (rank << 32 | position).
    fileprivate func mergeLong(_ ids: inout [Int32]) {
        let n = ids.count
        var next = [Int32](unsafeUninitializedCapacity: n) { b, c in
            for i in 0..<n { b[i] = i + 1 < n ? Int32(i + 1) : -1 }
            c = n
        }
        var prev = [Int32](unsafeUninitializedCapacity: n) { b, c in
            for i in 0..<n { b[i] = Int32(i - 1) }
            c = n
        }
        var heap = MinHeap()
        for i in 0..<(n - 1) {
            if let m = merges[BPEModel.key(ids[i], ids[i + 1])] { heap.push(UInt64(UInt32(m.rank)) << 32 | UInt64(i)) }
        }
        while let top = heap.pop() {
            let rank = Int32(truncatingIfNeeded: top >> 32)
            let p = Int(top & 0xFFFF_FFFF)
            let q = Int(next[p])
            // Stale entries: the symbol was merged away or the pair changed.
            guard ids[p] >= 0, q >= 0, let m = merges[BPEModel.key(ids[p], ids[q])], m.rank == rank else { continue }
            ids[p] = m.id
            ids[q] = -1
            let after = next[q]
            next[p] = after
            if after >= 0 { prev[Int(after)] = Int32(p) }
            let before = prev[p]
            if before >= 0, let m2 = merges[BPEModel.key(ids[Int(before)], ids[p])] {
                heap.push(UInt64(UInt32(m2.rank)) << 32 | UInt64(before))
            }
            if after >= 0, let m3 = merges[BPEModel.key(ids[p], ids[Int(after)])] {
                heap.push(UInt64(UInt32(m3.rank)) << 32 | UInt64(p))
            }
        }
        ids.removeAll { $0 < 0 }
    }
}

/// A binary min-heap of packed (rank, position) keys.
private struct MinHeap {
    private var items: [UInt64] = []

    mutating func push(_ value: UInt64) {
        items.append(value)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[parent] <= items[i] { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> UInt64? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if items.isEmpty { return first }
        items[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var smallest = i
            if l < items.count && items[l] < items[smallest] { smallest = l }
            if r < items.count && items[r] < items[smallest] { smallest = r }
            if smallest == i { break }
            items.swapAt(i, smallest)
            i = smallest
        }
        return first
    }
}

/// A bounded, thread-safe cache of word → ids, as `tokenizers` keeps for BPE; sharded so threads rarely contend.
final class WordCache: Sendable {
    private let shards: [WordCacheShard] = (0..<16).map { _ in WordCacheShard() }

    @inline(__always) private func shard(_ key: [Unicode.Scalar]) -> WordCacheShard {
        let first = key.first?.value ?? 0
        let last = key.last?.value ?? 0
        return shards[Int((first &* 31 &+ last &* 7 &+ UInt32(truncatingIfNeeded: key.count)) & 15)]
    }

    func get(_ key: [Unicode.Scalar]) -> [Int32]? { shard(key).get(key) }

    func set(_ key: [Unicode.Scalar], _ value: [Int32]) { shard(key).set(key, value) }
}

/// One shard of ``WordCache``.
///
/// `@unchecked Sendable`: every access to `storage` holds `lock`.
private final class WordCacheShard: @unchecked Sendable {
    private var storage: [[Unicode.Scalar]: [Int32]] = [:]
    private let lock = NSLock()
    private let capacity = 1_000

    func get(_ key: [Unicode.Scalar]) -> [Int32]? {
        lock.lock()
        defer { lock.unlock() }
        return storage[key]
    }

    func set(_ key: [Unicode.Scalar], _ value: [Int32]) {
        lock.lock()
        defer { lock.unlock() }
        if storage.count < capacity { storage[key] = value }
    }
}
