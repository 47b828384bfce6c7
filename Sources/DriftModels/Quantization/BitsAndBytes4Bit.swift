import DriftCore
import Foundation

/// bitsandbytes' 4-bit quantization (NF4 or FP4) with double quantization of the block absmax values, exactly as
/// `bitsandbytes.functional.quantize_4bit(..., compress_statistics=True)` and `dequantize_4bit` compute it on the CPU
/// (bitsandbytes 0.50), which is what transformers' `BitsAndBytesConfig(load_in_4bit=True,
/// bnb_4bit_use_double_quant=True)` does to each linear weight.
///
/// Quantization: the row-major flattened weight in blocks of 64; absmax per block; `x * (1 / absmax)` clamped to
/// [-1, 1]; the nearest code by the float32 midpoints of the sorted codes, ties to the lower code; two codes per byte,
/// the first in the high nibble. Double quantization: offset = mean(absmax) as torch computes it
/// (``TorchFloatSum``); `absmax - offset` quantized with the signed 8-bit dynamic map (``DynamicMap8Bit``) in blocks
/// of 256. Dequantization: `code[q] * (dyn[c] * absmax2 + offset)`.
package enum BitsAndBytes4Bit {
    /// The 4-bit data type.
    package enum Kind: Sendable {
        case nf4
        case fp4
    }

    /// The NF4 code values (`get_4bit_type("nf4")`).
    package static let nf4Code: [Float] = [
        -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
        -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
        0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
    ]

    /// The FP4 code values (`get_4bit_type("fp4")`: e2m1 with bias 2, in bit-pattern order, divided by 12).
    ///
    /// Code 8 is +0, not -0: bitsandbytes writes it as the Python integer `-0`.
    package static let fp4Code: [Float] = [0, 0.0625, 8, 12, 4, 6, 2, 3, 0, -0.0625, -8, -12, -4, -6, -2, -3].map {
        Float($0) / 12
    }

    /// The code values of `kind`, indexed by the 4-bit value.
    package static func code(_ kind: Kind) -> [Float] { kind == .nf4 ? nf4Code : fp4Code }

    /// The quantized form: what bitsandbytes' `QuantState` and packed tensor hold.
    package struct Quantized: Sendable {
        /// Two 4-bit codes per byte, the first value in the high nibble; `(count + 1) / 2` bytes.
        package var packed: [UInt8]
        /// One 8-bit dynamic-map code per block of 64 values.
        package var absmaxCodes: [UInt8]
        /// One float absmax per block of 256 absmax codes.
        package var absmax2: [Float]
        /// The mean of the block absmax values, added back after the 8-bit dequantization.
        package var offset: Float
    }

    package static let blockSize = 64
    package static let absmaxBlockSize = 256

    /// torch's default thread count here (it only affects the offset of weights with more than 2,097,152 values).
    package static var defaultTorchThreads: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Quantizes `values` (row-major flattened) to `kind`; `torchThreads` is the torch thread count whose float32
    /// mean the offset reproduces.
    package static func quantize(
        _ values: UnsafeBufferPointer<Float>, kind: Kind, torchThreads: Int = defaultTorchThreads
    ) -> Quantized {
        let count = values.count
        let blocks = (count + blockSize - 1) / blockSize
        let code = code(kind)
        // The sorted codes, their original positions (a stable sort, as torch's argsort gives here) and midpoints.
        let order = (0..<16).sorted { code[$0] < code[$1] || (code[$0] == code[$1] && $0 < $1) }
        var bounds = [Float](repeating: 0, count: 15)
        for k in 0..<15 { bounds[k] = (code[order[k]] + code[order[k + 1]]) / 2 }

        var absmax = [Float](repeating: 0, count: blocks)
        var packed = [UInt8](repeating: 0, count: (count + 1) / 2)
        // Blocks are independent, and a block (an even number of values) never shares a packed byte with another.
        absmax.withUnsafeMutableBufferPointer { absmax in
            packed.withUnsafeMutableBufferPointer { packed in
                bounds.withUnsafeBufferPointer { bounds in
                    order.withUnsafeBufferPointer { order in
                        Parallel.forEachChunk(blocks, minimumChunk: 1024) { range in
                            for block in range {
                                absmax[block] = quantizeBlock(
                                    values, block: block, bounds: bounds, order: order, into: packed)
                            }
                        }
                    }
                }
            }
        }

        // Double quantization of the absmax values.
        let offset = blocks > 0 ? absmax.withUnsafeBufferPointer { TorchFloatSum.mean($0, threads: torchThreads) } : 0
        var centred = absmax
        for i in 0..<centred.count { centred[i] = absmax[i] - offset }
        var absmaxCodes = [UInt8](repeating: 0, count: blocks)
        var absmax2 = [Float](repeating: 0, count: (blocks + absmaxBlockSize - 1) / absmaxBlockSize)
        centred.withUnsafeBufferPointer { source in
            absmaxCodes.withUnsafeMutableBufferPointer { codes in
                absmax2.withUnsafeMutableBufferPointer { scales in
                    DynamicMap8Bit.quantize(source, blockSize: absmaxBlockSize, codes: codes, absmax: scales)
                }
            }
        }
        return Quantized(packed: packed, absmaxCodes: absmaxCodes, absmax2: absmax2, offset: offset)
    }

    /// Quantizes block `block` of `values` into its nibbles of `packed` (which must be zero there) and returns its
    /// absmax: values scaled by the absmax, clamped to [−1, 1], each given the code whose midpoints bracket it.
    private static func quantizeBlock(
        _ values: UnsafeBufferPointer<Float>, block: Int, bounds: UnsafeBufferPointer<Float>,
        order: UnsafeBufferPointer<Int>, into packed: UnsafeMutableBufferPointer<UInt8>
    ) -> Float {
        let start = block * blockSize
        let end = min(values.count, start + blockSize)
        var largest: Float = 0
        for i in start..<end {
            let a = abs(values[i])
            if a > largest || a.isNaN { largest = a }
        }
        let clamped = max(largest, 1e-38)
        let full = end - start == blockSize
        let inverse = 1 / clamped
        for i in start..<end {
            // Full blocks multiply by the reciprocal; a trailing partial block divides (as bitsandbytes does).
            var v = full ? values[i] * inverse : values[i] / clamped
            v = v < -1 ? -1 : (v > 1 ? 1 : v)
            var bucket = 0
            while bucket < 15 && bounds[bucket] < v { bucket += 1 }
            let q = UInt8(order[bucket])
            if i % 2 == 0 { packed[i / 2] |= q << 4 } else { packed[i / 2] |= q }
        }
        return largest
    }

    /// The block absmax values recovered from the double quantization: `dyn[code] * absmax2 + offset`.
    package static func absmax(_ q: Quantized) -> [Float] {
        let map = DynamicMap8Bit.code
        var result = [Float](repeating: 0, count: q.absmaxCodes.count)
        for i in 0..<result.count {
            result[i] = map[Int(q.absmaxCodes[i])] * q.absmax2[i / absmaxBlockSize] + q.offset
        }
        return result
    }

    /// Dequantizes `count` values into `destination`: `code[q] * absmax`.
    package static func dequantize(
        _ q: Quantized, kind: Kind, count: Int, into destination: UnsafeMutableBufferPointer<Float>
    ) {
        let code = code(kind)
        let scales = absmax(q)
        for i in 0..<count {
            let byte = q.packed[i / 2]
            let nibble = i % 2 == 0 ? byte >> 4 : byte & 0x0F
            destination[i] = code[Int(nibble)] * scales[i / blockSize]
        }
    }

    /// Quantizes then dequantizes `values` (the float32 weights a bitsandbytes model computes with).
    package static func roundTrip(_ values: [Float], kind: Kind) -> [Float] {
        let q = values.withUnsafeBufferPointer { quantize($0, kind: kind) }
        return [Float](unsafeUninitializedCapacity: values.count) { buffer, initialized in
            dequantize(q, kind: kind, count: values.count, into: buffer)
            initialized = values.count
        }
    }
}
