/// An ordered pair of variants, as the tables' `variant_a`, `variant_b` columns name it.
public struct VariantPair: Hashable, Sendable, Comparable {
    /// First variant.
    public var a: String
    /// Second variant.
    public var b: String

    /// Creates a pair.
    public init(_ a: String, _ b: String) {
        self.a = a
        self.b = b
    }

    /// `a → b`, for titles and legends.
    public var label: String { "\(a) → \(b)" }

    /// A file-name-safe slug (`base-vs-instruct`); characters outside `[A-Za-z0-9_-]` become `_`.
    public var slug: String { Self.slug(a) + "-vs-" + Self.slug(b) }

    static func slug(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.isASCIIWordCharacter ? Character($0) : "_" })
    }

    public static func < (x: VariantPair, y: VariantPair) -> Bool { (x.a, x.b) < (y.a, y.b) }
}

extension Unicode.Scalar {
    var isASCIIWordCharacter: Bool {
        (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
            || self == "_" || self == "-"
    }
}
