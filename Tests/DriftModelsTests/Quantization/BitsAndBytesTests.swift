import DriftCore
import Testing

@testable import DriftModels

@Suite struct BitsAndBytesTests {
    @Test func dynamicMapEqualsBitsandbytes() throws {
        let fixtures = try QuantFixtures()
        let expected = try fixtures.floats(fixtures.manifest["dynamicMap"])
        #expect(bitMismatches(DynamicMap8Bit.code, expected) == 0)
        // The lookup table is monotone and spans every code.
        let table = DynamicMap8Bit.lookupTable
        #expect(table.first == 0 && table.last == 255)
        #expect(zip(table, table.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test(arguments: ["nf4", "fp4"])
    func quantizeDequantizeEqualsBitsandbytes(scheme: String) throws {
        let fixtures = try QuantFixtures()
        let entry = try #require(try fixtures.cases("bnb4").first { $0["scheme"] as? String == scheme })
        let kind: BitsAndBytes4Bit.Kind = scheme == "nf4" ? .nf4 : .fp4
        let input = try fixtures.floats(entry["input"])
        #expect(bitMismatches(BitsAndBytes4Bit.code(kind), try fixtures.floats(entry["code"])) == 0)

        let q = input.withUnsafeBufferPointer { BitsAndBytes4Bit.quantize($0, kind: kind, torchThreads: 2) }
        #expect(q.packed == (try fixtures.bytes(entry["packed"])))
        let offset = try #require(entry["offset"] as? Double)
        #expect(q.offset == Float(offset))
        #expect(bitMismatches(q.absmax2, try fixtures.floats(entry["absmax2"])) == 0)
        #expect(q.absmaxCodes == (try fixtures.bytes(entry["absmaxCodes"])))
        #expect(bitMismatches(BitsAndBytes4Bit.absmax(q), try fixtures.floats(entry["absmax"])) == 0)

        let expected = try fixtures.floats(entry["expected"])
        #expect(bitMismatches(BitsAndBytes4Bit.roundTrip(input, kind: kind), expected) == 0)
        let shape = try #require(entry["shape"] as? [Int])
        let scheme = try QuantizationScheme(parsing: scheme)
        #expect(bitMismatches(try scheme.roundTrip(input, shape: shape), expected) == 0)
    }

    /// Blocks are quantized in parallel chunks of at least 1,024 blocks; the fixture (288 blocks) runs in one.
    ///
    /// Its input repeated 8 times (2,304 blocks) is split across workers, and every block's nibbles must still be
    /// bitsandbytes' (blocks are independent; only the double quantization sees them all).
    @Test(arguments: ["nf4", "fp4"])
    func parallelBlocksEqualBitsandbytes(scheme: String) throws {
        let fixtures = try QuantFixtures()
        let entry = try #require(try fixtures.cases("bnb4").first { $0["scheme"] as? String == scheme })
        let input = try fixtures.floats(entry["input"])
        let packed = try fixtures.bytes(entry["packed"])
        let repeats = 8
        let tiled = Array([[Float]](repeating: input, count: repeats).joined())
        #expect(tiled.count / BitsAndBytes4Bit.blockSize >= 2 * 1024)
        let q = tiled.withUnsafeBufferPointer { BitsAndBytes4Bit.quantize($0, kind: scheme == "nf4" ? .nf4 : .fp4) }
        #expect(q.packed == Array([[UInt8]](repeating: packed, count: repeats).joined()))
    }

    @Test func int8EqualsBitsandbytes() throws {
        let fixtures = try QuantFixtures()
        let entry = try #require(try fixtures.cases("int8").first)
        let shape = try #require(entry["shape"] as? [Int])
        let input = try fixtures.floats(entry["input"])
        let (codes, _) = input.withUnsafeBufferPointer { RowwiseInt8.quantize($0, rowLength: shape[1]) }
        #expect(codes.map { UInt8(bitPattern: $0) } == (try fixtures.bytes(entry["codes"])))
        let values = try QuantizationScheme.int8.roundTrip(input, shape: shape)
        #expect(bitMismatches(values, try fixtures.floats(entry["expected"])) == 0)
    }
}

@Suite struct TorchFloatSumTests {
    @Test func sumAndMeanEqualTorchBitForBit() throws {
        let fixtures = try QuantFixtures()
        let cases = try fixtures.cases("torchMean")
        #expect(cases.count == 10)
        for entry in cases {
            let values = try fixtures.floats(entry["input"])
            let sumBits = try #require(entry["sumBits"] as? Int)
            let meanBits = try #require(entry["meanBits"] as? Int)
            let threads = try #require(entry["threads"] as? Int)
            let sum = values.withUnsafeBufferPointer { TorchFloatSum.sum($0, threads: threads) }
            let mean = values.withUnsafeBufferPointer { TorchFloatSum.mean($0, threads: threads) }
            #expect(sum.bitPattern == UInt32(sumBits), "n = \(values.count)")
            #expect(mean.bitPattern == UInt32(meanBits), "n = \(values.count)")
        }
    }
}
