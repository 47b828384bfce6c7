import DriftCore

/// llama.cpp's reference (non-imatrix) quantizers, `quantize_row_*_ref` in ggml-quants.c, ported operation for
/// operation so that the bytes equal llama.cpp's (evaluated without fused multiply-add contraction).
///
/// Supported: Q8_0, Q4_0, Q5_0 (llama.cpp's fallback for Q4_K when a row is not a multiple of 256), Q4_K, Q6_K.
public enum GGMLQuantizer {
    /// The types this quantizer can produce.
    public static let supportedTypes: [GGMLType] = [.q8_0, .q4_0, .q5_0, .q4_K, .q6_K]

    /// Quantizes `values` (row-major; the count a multiple of the type's block size) into GGML blocks of `type`.
    ///
    /// - Returns: `values.count / type.blockSize * type.bytesPerBlock` bytes.
    /// - Throws: ``DriftCore/DriftError`` (`.unsupported`) for a type outside ``supportedTypes``;
    ///   (`.invalidArgument`) when the count is not a whole number of blocks.
    public static func quantize(_ values: UnsafeBufferPointer<Float>, type: GGMLType) throws -> [UInt8] {
        guard supportedTypes.contains(type) else {
            throw DriftError(.unsupported, "quantization to GGML type \(type.name) is not supported")
        }
        guard values.count % type.blockSize == 0 else {
            throw DriftError(
                .invalidArgument,
                "\(values.count) values are not a whole number of \(type.name) blocks of \(type.blockSize)")
        }
        let blockCount = values.count / type.blockSize
        let bytesPerBlock = type.bytesPerBlock
        let blockSize = type.blockSize
        guard blockCount > 0, let source = values.baseAddress else { return [] }
        return [UInt8](unsafeUninitializedCapacity: blockCount * bytesPerBlock) { buffer, initialized in
            guard let output = buffer.baseAddress else { return }
            output.initialize(repeating: 0, count: blockCount * bytesPerBlock)
            let raw = UnsafeMutableRawPointer(output)
            Parallel.forEachChunk(blockCount, minimumChunk: max(1, 4096 / blockSize)) { blocks in
                let x = source + blocks.lowerBound * blockSize
                let y = raw + blocks.lowerBound * bytesPerBlock
                switch type {
                case .q8_0: quantizeQ8_0(x, y, blocks.count)
                case .q4_0: quantizeQ4_0(x, y, blocks.count)
                case .q5_0: quantizeQ5_0(x, y, blocks.count)
                case .q4_K: quantizeQ4_K(x, y, blocks.count)
                case .q6_K: quantizeQ6_K(x, y, blocks.count)
                default: break
                }
            }
            initialized = blockCount * bytesPerBlock
        }
    }

    /// Quantizes `values` into `type` (see ``quantize(_:type:)``).
    public static func quantize(_ values: [Float], type: GGMLType) throws -> [UInt8] {
        try values.withUnsafeBufferPointer { try quantize($0, type: type) }
    }
}

// MARK: - Scalar helpers with C semantics

/// ggml's `nearest_int`: round to nearest, ties to even, through the 1.5·2^23 trick (valid for |x| ≤ 4194303).
@inline(__always)
func ggmlNearestInt(_ value: Float) -> Int32 {
    let shifted = value + 12_582_912
    return Int32(bitPattern: shifted.bitPattern & 0x007F_FFFF) - 0x0040_0000
}

/// C's float → int conversion as x86 performs it (truncation; out of range or NaN gives INT32_MIN), never trapping.
@inline(__always)
func cTruncatingInt32(_ value: Float) -> Int32 {
    guard value > -2_147_483_904, value < 2_147_483_648 else { return Int32.min }
    return Int32(value)
}

/// The float32 value of `value` stored as fp16 and read back (`GGML_FP32_TO_FP16` then `GGML_FP16_TO_FP32`).
@inline(__always)
func fp16Bits(_ value: Float) -> UInt16 { HalfPrecision.float16(from: value) }

@inline(__always)
func storeHalf(_ p: UnsafeMutableRawPointer, _ offset: Int, _ value: Float) {
    p.storeBytes(of: fp16Bits(value), toByteOffset: offset, as: UInt16.self)
}

extension GGMLQuantizer {
    static func quantizeQ8_0(_ src: UnsafePointer<Float>, _ dst: UnsafeMutableRawPointer, _ blocks: Int) {
        for b in 0..<blocks {
            let x = src + 32 * b
            let y = dst + 34 * b
            var amax: Float = 0
            for j in 0..<32 {
                let a = abs(x[j])
                amax = amax > a ? amax : a
            }
            let d = amax / 127
            let id: Float = d != 0 ? 1 / d : 0
            storeHalf(y, 0, d)
            for j in 0..<32 {
                let q = cTruncatingInt32((x[j] * id).rounded(.toNearestOrAwayFromZero))
                y.storeBytes(of: UInt8(truncatingIfNeeded: q), toByteOffset: 2 + j, as: UInt8.self)
            }
        }
    }

    static func quantizeQ4_0(_ src: UnsafePointer<Float>, _ dst: UnsafeMutableRawPointer, _ blocks: Int) {
        for b in 0..<blocks {
            let x = src + 32 * b
            let y = dst + 18 * b
            var amax: Float = 0
            var max: Float = 0
            for j in 0..<32 where amax < abs(x[j]) {
                amax = abs(x[j])
                max = x[j]
            }
            let d = max / -8
            let id: Float = d != 0 ? 1 / d : 0
            storeHalf(y, 0, d)
            for j in 0..<16 {
                let x0 = x[j] * id
                let x1 = x[16 + j] * id
                let q0 = UInt8(truncatingIfNeeded: min(15, Int32(Int8(truncatingIfNeeded: cTruncatingInt32(x0 + 8.5)))))
                let q1 = UInt8(truncatingIfNeeded: min(15, Int32(Int8(truncatingIfNeeded: cTruncatingInt32(x1 + 8.5)))))
                y.storeBytes(of: q0 | (q1 << 4), toByteOffset: 2 + j, as: UInt8.self)
            }
        }
    }

    static func quantizeQ5_0(_ src: UnsafePointer<Float>, _ dst: UnsafeMutableRawPointer, _ blocks: Int) {
        for b in 0..<blocks {
            let x = src + 32 * b
            let y = dst + 22 * b
            var amax: Float = 0
            var max: Float = 0
            for j in 0..<32 where amax < abs(x[j]) {
                amax = abs(x[j])
                max = x[j]
            }
            let d = max / -16
            let id: Float = d != 0 ? 1 / d : 0
            storeHalf(y, 0, d)
            var qh: UInt32 = 0
            for j in 0..<16 {
                let x0 = x[j] * id
                let x1 = x[16 + j] * id
                let q0 = UInt8(
                    truncatingIfNeeded: min(31, Int32(Int8(truncatingIfNeeded: cTruncatingInt32(x0 + 16.5)))))
                let q1 = UInt8(
                    truncatingIfNeeded: min(31, Int32(Int8(truncatingIfNeeded: cTruncatingInt32(x1 + 16.5)))))
                y.storeBytes(of: (q0 & 0x0F) | ((q1 & 0x0F) << 4), toByteOffset: 6 + j, as: UInt8.self)
                qh |= UInt32((q0 & 0x10) >> 4) << UInt32(j)
                qh |= UInt32((q1 & 0x10) >> 4) << UInt32(j + 16)
            }
            y.storeBytes(of: qh, toByteOffset: 2, as: UInt32.self)
        }
    }
}
