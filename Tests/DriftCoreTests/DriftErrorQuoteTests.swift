import DriftCore
import Testing

/// `DriftError.quote`: every input repeated in an error message is one bounded, escaped line (issue 18).
@Suite struct DriftErrorQuoteTests {
    @Test func shortValuesAreQuotedWhole() {
        #expect(DriftError.quote("general.architecture") == "\"general.architecture\"")
        #expect(DriftError.quote("") == "\"\"")
        #expect(DriftError.quote("say \"hi\" \\ bye") == #""say \"hi\" \\ bye""#)
        #expect(DriftError.quote("héllo 🙂 שלום") == "\"héllo 🙂 שלום\"")
    }

    @Test func controlFormatAndSeparatorCharactersAreEscaped() {
        let quoted = DriftError.quote("a\u{0}b\u{1B}[31mc\nd\r\te\u{7F}f\u{85}g\u{202E}h\u{2028}i")
        #expect(quoted == #""a\u{0}b\u{1B}[31mc\nd\r\te\u{7F}f\u{85}g\u{202E}h\u{2028}i""#)
        #expect(!quoted.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test func longValuesAreCutAndSayHowLongTheyWere() {
        let quoted = DriftError.quote(String(repeating: "a", count: 5_000_000))
        #expect(quoted == "\"" + String(repeating: "a", count: 120) + "…\" (5,000,000 characters)")
        #expect(DriftError.quote(String(repeating: "b", count: 120)).count == 122)
        #expect(DriftError.quote("abcdef", limit: 3) == "\"abc…\" (6 characters)")
        // Escapes count against the limit: the quoted text stays about 120 characters whatever the input holds.
        let nuls = DriftError.quote(String(repeating: "\u{0}", count: 1_000_000))
        #expect(nuls.count <= 122 + 30)
        #expect(!nuls.contains("\n"))
    }

    @Test func bytesAreDecodedLeniently() {
        let key: [UInt8] = Array("blk.".utf8) + [0x00, 0x1B, 0xFF, 0xC3] + Array("x".utf8)
        #expect(DriftError.quote(bytes: key) == #""blk.\u{0}\u{1B}�"# + "\u{FFFD}x\"")
        let long = [UInt8](repeating: 0x1B, count: 118_000)
        let quoted = DriftError.quote(bytes: long)
        #expect(quoted.hasSuffix("…\" (118,000 bytes)"))
        #expect(quoted.count <= 122 + 30)
    }
}
