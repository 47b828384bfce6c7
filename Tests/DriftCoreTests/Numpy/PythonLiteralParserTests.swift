import Testing

@testable import DriftCore

@Suite struct PythonLiteralParserTests {
    private func parse(_ text: String) throws -> PythonLiteral {
        var parser = PythonLiteralParser(text)
        return try parser.parseWhole()
    }

    @Test func parsesHeadersAsPythonWould() throws {
        #expect(
            try parse("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }  \n")
                == .dict([
                    ("descr", .string("<f4")), ("fortran_order", .bool(false)),
                    ("shape", .tuple([.integer(2), .integer(3)])),
                ]))
        #expect(try parse("{\"shape\":(5,),\"x\":None}") == .dict([("shape", .tuple([.integer(5)])), ("x", .none)]))
        #expect(try parse("()") == .tuple([]))
        #expect(try parse("(3)") == .integer(3))  // parentheses without a comma are not a tuple
        #expect(try parse("(3,)") == .tuple([.integer(3)]))
        #expect(try parse("(3L, 4L)") == .tuple([.integer(3), .integer(4)]))  // Python 2 headers
        #expect(try parse("[('a', '<f4')]") == .list([.tuple([.string("a"), .string("<f4")])]))
        #expect(try parse("'it\\'s'") == .string("it's"))
        #expect(try parse("-12") == .integer(-12))
    }

    @Test func rejectsMalformedTextWithoutCrashing() {
        for text in [
            "", "{", "{'a' 1}", "{'a': 1,, }", "{1: 2}", "'open", "(1 2)", "{'a': 1} trailing", "99999999999999999999",
            String(repeating: "(", count: 100_000), "{'a': 1, 'a': 2}", "Truth", "\u{0}",
        ] {
            #expect(throws: PythonLiteralParser.Failure.self, "\(text.prefix(20))") { try parse(text) }
        }
    }
}
