/// GPT-2's reversible map from bytes to printable Unicode scalars, as byte-level BPE vocabularies spell them.
enum ByteLevelAlphabet {
    /// The scalar for each byte value (256 entries).
    static let scalars: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            let printable = (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
            if printable {
                table[b] = Unicode.Scalar(UInt8(b))
            } else {
                table[b] = Unicode.Scalar(next) ?? " "
                next += 1
            }
        }
        return table
    }()

    /// The byte-level spelling of `text`: each UTF-8 byte as its scalar.
    static func encode(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count + 4)
        for c in text { forEachUTF8Byte(of: c) { out.append(scalars[Int($0)]) } }
        return out
    }

    /// Calls `body` with each byte of the UTF-8 encoding of `c`.
    @inline(__always) static func forEachUTF8Byte(of c: Unicode.Scalar, _ body: (UInt8) -> Void) {
        let v = c.value
        if v < 0x80 {
            body(UInt8(v))
        } else if v < 0x800 {
            body(UInt8(0xC0 | (v >> 6)))
            body(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            body(UInt8(0xE0 | (v >> 12)))
            body(UInt8(0x80 | ((v >> 6) & 0x3F)))
            body(UInt8(0x80 | (v & 0x3F)))
        } else {
            body(UInt8(0xF0 | (v >> 18)))
            body(UInt8(0x80 | ((v >> 12) & 0x3F)))
            body(UInt8(0x80 | ((v >> 6) & 0x3F)))
            body(UInt8(0x80 | (v & 0x3F)))
        }
    }
}
