import DriftCore
import Testing

@testable import DriftModels

@Suite struct GGMLDequantizerTests {
    @Test func everyTypeEqualsGGUFPyBitForBit() throws {
        let fixtures = try QuantFixtures()
        let cases = try fixtures.cases("dequantize")
        #expect(cases.count == 13)
        for entry in cases {
            let id = try #require(entry["typeId"] as? Int)
            let type = try GGMLType(id: UInt32(id))
            #expect(type.name == entry["type"] as? String)
            let count = try #require(entry["elementCount"] as? Int)
            let bytes = try fixtures.bytes(entry["bytes"])
            let expected = try fixtures.floats(entry["expected"])
            let values = try GGMLDequantizer.dequantize(bytes, type: type, elementCount: count)
            #expect(bitMismatches(values, expected) == 0, "\(type.name)")
        }
    }

    @Test func parallelPathEqualsSerialPath() throws {
        // Large enough to be split over threads: the fixture's Q4_K blocks repeated.
        let fixtures = try QuantFixtures()
        let entry = try #require(try fixtures.cases("dequantize").first { $0["type"] as? String == "Q4_K" })
        let bytes = try fixtures.bytes(entry["bytes"])
        let expected = try fixtures.floats(entry["expected"])
        let copies = 2 * GGMLDequantizer.parallelThreshold / expected.count
        let big = Array([[UInt8]](repeating: bytes, count: copies).joined())
        let values = try GGMLDequantizer.dequantize(big, type: .q4_K, elementCount: expected.count * copies)
        #expect(bitMismatches(values, Array([[Float]](repeating: expected, count: copies).joined())) == 0)
    }

    @Test func blockLayoutMatchesGGUFPy() {
        #expect(GGMLType.q4_0.bytesPerBlock == 18 && GGMLType.q4_0.blockSize == 32)
        #expect(GGMLType.q2_K.bytesPerBlock == 84 && GGMLType.q3_K.bytesPerBlock == 110)
        #expect(GGMLType.q4_K.bytesPerBlock == 144 && GGMLType.q5_K.bytesPerBlock == 176)
        #expect(GGMLType.q6_K.bytesPerBlock == 210 && GGMLType.q6_K.blockSize == 256)
        #expect(GGMLType(name: "q5_k") == .q5_K)
    }

    @Test func unknownTypeIdIsAnError() {
        #expect(throws: DriftError.self) { try GGMLType(id: 5) }
        #expect(throws: DriftError.self) { try GGMLType(id: 1000) }
    }

    @Test func badByteCountsAreErrors() {
        // 33 values are not a whole number of Q8_0 blocks.
        #expect(throws: DriftError.self) {
            try GGMLDequantizer.dequantize([UInt8](repeating: 0, count: 34), type: .q8_0, elementCount: 33)
        }
        // One Q8_0 block is 34 bytes, not 33 or 35.
        for count in [0, 33, 35] {
            #expect(throws: DriftError.self) {
                try GGMLDequantizer.dequantize([UInt8](repeating: 0, count: count), type: .q8_0, elementCount: 32)
            }
        }
        #expect(throws: DriftError.self) {
            try GGMLDequantizer.dequantize([UInt8](repeating: 0, count: 66), type: .iq2_XXS, elementCount: 256)
        }
        #expect(throws: DriftError.self) {
            try GGMLDequantizer.dequantize([UInt8](), type: .q4_0, elementCount: -32)
        }
    }
}

@Suite struct HalfConversionTests {
    @Test func fastHalfConversionIsExactForEveryBitPattern() {
        var mismatches = 0
        for bits in 0...UInt16.max {
            let fast = halfToFloat(bits)
            let reference = Float(Float16(bitPattern: bits))
            if reference.isNaN ? !fast.isNaN : fast.bitPattern != reference.bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}
