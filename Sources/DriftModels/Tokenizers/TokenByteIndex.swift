/// Every token string of a vocabulary as UTF-8 bytes in one buffer, with an open-addressing table from a byte
/// string to the first id that spells it.
///
/// Built to look up *pieces* of tokens (every split of every token, as deriving a SentencePiece vocabulary's merges
/// does) without making a `String` per piece: a lookup hashes and compares a byte range of the buffer. Equality is
/// exact bytes, which for valid UTF-8 is ``TokenKey``'s exact-scalar equality.
struct TokenByteIndex {
    /// The tokens' UTF-8 bytes, one after another.
    private(set) var bytes: [UInt8] = []
    /// Token `id` spans `bytes[starts[id]..<starts[id + 1]]`.
    private var starts: [Int] = [0]
    /// Token ids (the first of equal strings), `-1` where empty; a power of two at least twice the token count.
    private var slots: [Int32]

    init(_ tokens: [String]) {
        bytes.reserveCapacity(tokens.reduce(0) { $0 + $1.utf8.count })
        starts.reserveCapacity(tokens.count + 1)
        for token in tokens {
            bytes.append(contentsOf: token.utf8)
            starts.append(bytes.count)
        }
        var capacity = 16
        while capacity < 2 * tokens.count { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        for id in tokens.indices {
            let range = self.range(of: id)
            var slot = slot(forHash: hash(range))
            while slots[slot] >= 0 {
                if equal(range, self.range(of: Int(slots[slot]))) { break }
                slot = (slot + 1) & (capacity - 1)
            }
            if slots[slot] < 0 { slots[slot] = Int32(id) }
        }
    }

    /// Where token `id`'s bytes lie in ``bytes``.
    func range(of id: Int) -> Range<Int> { starts[id]..<starts[id + 1] }

    /// The first token id spelled by `bytes[range]`, or nil.
    func firstID(spelling range: Range<Int>) -> Int? {
        var slot = slot(forHash: hash(range))
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            if equal(range, self.range(of: Int(id))) { return Int(id) }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    private func slot(forHash hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> 7) & (slots.count - 1) }

    /// 64-bit FNV-1a over the bytes, then a multiply to spread the high bits.
    private func hash(_ range: Range<Int>) -> UInt64 {
        bytes.withUnsafeBufferPointer { buffer in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for i in range {
                h = (h ^ UInt64(buffer[i])) &* 0x0000_0100_0000_01b3
            }
            return h &* 0x9e37_79b9_7f4a_7c15
        }
    }

    private func equal(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            for i in 0..<a.count where buffer[a.lowerBound + i] != buffer[b.lowerBound + i] { return false }
            return true
        }
    }
}
