import DriftCore
import Testing

@testable import DriftModels

@Suite struct FloatConversionTests {
    /// Every binary16 bit pattern converts as the standard library's `Float16` does (NaN stays NaN).
    @Test func float16TableCoversEveryPattern() {
        var bits = (0...UInt16.max).map { $0 }
        let floats = bits.withUnsafeMutableBytes { raw in
            FloatConversion.floats(raw.baseAddress!, type: .float16, count: 65536)
        }
        for pattern in 0...Int(UInt16.max) {
            let reference = Float(Float16(bitPattern: UInt16(pattern)))
            if reference.isNaN {
                #expect(floats[pattern].isNaN)
            } else if floats[pattern].bitPattern != reference.bitPattern {
                Issue.record("pattern \(pattern): \(floats[pattern]) != \(reference)")
                return
            }
        }
        bits.removeAll()
    }

    /// Large tensors are converted on several threads; the result equals the single-threaded conversion, at any
    /// alignment of the source.
    @Test(arguments: [TensorDataType.float32, .float16, .bfloat16, .int32, .float64])
    func parallelEqualsSerial(type: TensorDataType) {
        let count = FloatConversion.parallelThreshold * 2 + 37
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let words = (0..<((count * type.byteSize) / 8 + 2)).map { _ -> UInt64 in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        words.withUnsafeBytes { raw in
            for shift in 0...1 {
                let source = raw.baseAddress! + shift
                let whole = FloatConversion.floats(source, type: type, count: count)
                var serial = [Float](repeating: 0, count: count)
                serial.withUnsafeMutableBufferPointer { out in
                    let step = 1000
                    var start = 0
                    while start < count {
                        let n = min(step, count - start)
                        FloatConversion.convert(
                            source + start * type.byteSize, type: type, count: n, into: out.baseAddress! + start)
                        start += n
                    }
                }
                #expect(zip(whole, serial).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) })
            }
        }
    }
}
