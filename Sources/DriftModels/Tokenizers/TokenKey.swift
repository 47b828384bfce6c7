/// A token string compared and hashed by its exact Unicode scalars.
///
/// Swift's `String` equality is canonical equivalence (`"e\u{301}" == "é"`), but tokenizer vocabularies are
/// exact: the decomposed and the composed spelling are different tokens (or one is missing). Vocabulary
/// dictionaries therefore use this key.
struct TokenKey: Hashable, Sendable {
    let string: String

    init(_ string: String) { self.string = string }

    init(_ scalars: [Unicode.Scalar]) { self.string = scalars.string }

    static func == (a: TokenKey, b: TokenKey) -> Bool {
        a.string.utf8.elementsEqual(b.string.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var s = string
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
