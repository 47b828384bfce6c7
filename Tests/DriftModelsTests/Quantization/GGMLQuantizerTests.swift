import DriftCore
import Testing

@testable import DriftModels

@Suite struct GGMLQuantizerTests {
    @Test func quantizedBytesEqualLlamaCppReference() throws {
        let fixtures = try QuantFixtures()
        let cases = try fixtures.cases("ggml_quantize")
        #expect(cases.count == 5)
        for entry in cases {
            let typeName = try #require(entry["type"] as? String)
            let type = try #require(GGMLType(name: typeName))
            let input = try fixtures.floats(entry["input"])
            let bytes = try GGMLQuantizer.quantize(input, type: type)
            let expectedBytes = try fixtures.bytes(entry["bytes"])
            #expect(bytes.count == expectedBytes.count)
            let differing = zip(bytes, expectedBytes).enumerated().filter { $0.element.0 != $0.element.1 }
            #expect(
                differing.isEmpty,
                "\(type.name): \(differing.count) bytes differ, first at \(differing.first?.offset ?? -1)")
            let values = try GGMLDequantizer.dequantize(bytes, type: type, elementCount: input.count)
            #expect(bitMismatches(values, try fixtures.floats(entry["expected"])) == 0, "\(type.name)")
        }
    }

    @Test func schemesRoundTripThroughTheReferenceQuantizers() throws {
        let fixtures = try QuantFixtures()
        for entry in try fixtures.cases("ggml_quantize") {
            let name = try #require(entry["type"] as? String)
            guard let scheme = QuantizationScheme(rawValue: name.lowercased()) else { continue }
            let shape = try #require(entry["shape"] as? [Int])
            let values = try scheme.roundTrip(try fixtures.floats(entry["input"]), shape: shape)
            #expect(bitMismatches(values, try fixtures.floats(entry["expected"])) == 0, "\(name)")
        }
    }

    @Test func wrongCountsAndTypesAreErrors() {
        #expect(throws: DriftError.self) { try GGMLQuantizer.quantize([Float](repeating: 1, count: 31), type: .q8_0) }
        #expect(throws: DriftError.self) { try GGMLQuantizer.quantize([Float](repeating: 1, count: 256), type: .q2_K) }
    }

    @Test func nearestIntRoundsHalfToEven() {
        #expect(ggmlNearestInt(2.5) == 2)
        #expect(ggmlNearestInt(3.5) == 4)
        #expect(ggmlNearestInt(-2.5) == -2)
        #expect(ggmlNearestInt(-0.4) == 0)
    }
}
