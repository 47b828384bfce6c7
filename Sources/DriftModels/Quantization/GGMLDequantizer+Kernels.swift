import DriftCore

// The per-type kernels. Each follows ggml's `dequantize_row_*` (ggml-quants.c) operation for operation, so that the
// float arithmetic (and hence every bit) equals ggml's and gguf-py's.

/// The float32 value of an IEEE binary16 bit pattern, exact, branch-free and without F16C (the baseline x86-64 target
/// otherwise converts through a runtime call at about 100 M values/s).
///
/// Shifting the exponent and mantissa into float position and multiplying by 2^112 rebias normal and subnormal
/// values exactly; infinities and NaNs keep an all-ones exponent.
@inline(__always)
func halfToFloat(_ h: UInt16) -> Float {
    let magnitude = UInt32(h & 0x7FFF) << 13
    let sign = UInt32(h & 0x8000) << 16
    let scaled = (Float(bitPattern: magnitude) * Float(bitPattern: 0x7780_0000)).bitPattern
    let bits = magnitude >= 0x0F80_0000 ? (magnitude | 0x7F80_0000) : scaled
    return Float(bitPattern: bits | sign)
}

@inline(__always)
func loadHalf(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
    halfToFloat(p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
}

@inline(__always)
func loadByte(_ p: UnsafeRawPointer, _ offset: Int) -> UInt8 {
    p.load(fromByteOffset: offset, as: UInt8.self)
}

extension GGMLDequantizer {
    static func dequantizeF32(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: count * 4)
    }

    static func dequantizeF16(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0..<count { dst[i] = loadHalf(src, 2 * i) }
    }

    static func dequantizeBF16(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0..<count {
            dst[i] = HalfPrecision.float(fromBFloat16: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
        }
    }

    /// Q4_0: fp16 d, 16 bytes of nibbles; value = (q - 8) * d; low nibbles are values 0–15, high nibbles 16–31.
    static func dequantizeQ4_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let x = src + b * 18
            let y = dst + b * 32
            let d = loadHalf(x, 0)
            for j in 0..<16 {
                let q = loadByte(x, 2 + j)
                y[j] = Float(Int32(q & 0x0F) - 8) * d
                y[j + 16] = Float(Int32(q >> 4) - 8) * d
            }
        }
    }

    /// MXFP4 (gpt-oss's experts): an E8M0 exponent byte e, 16 bytes of FP4 E2M1 nibbles; value = fp4(q) · 2^(e−127)
    /// (ggml's doubled table times 2^(e−128): the same, exactly); low nibbles are values 0–15, high nibbles 16–31.
    static func dequantizeMXFP4(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let x = src + b * 17
            let y = dst + b * 32
            let exponent = Int(loadByte(x, 0)) - 127
            for j in 0..<16 {
                let q = loadByte(x, 1 + j)
                y[j] = Float(sign: .plus, exponent: exponent, significand: MXFP4.values[Int(q & 0x0F)])
                y[j + 16] = Float(sign: .plus, exponent: exponent, significand: MXFP4.values[Int(q >> 4)])
            }
        }
    }

    /// Q4_1: fp16 d, fp16 m, 16 bytes of nibbles; value = q * d + m.
    static func dequantizeQ4_1(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let x = src + b * 20
            let y = dst + b * 32
            let d = loadHalf(x, 0)
            let m = loadHalf(x, 2)
            for j in 0..<16 {
                let q = loadByte(x, 4 + j)
                y[j] = Float(q & 0x0F) * d + m
                y[j + 16] = Float(q >> 4) * d + m
            }
        }
    }

    /// Q5_0: fp16 d, 32 high bits, 16 bytes of nibbles; value = (q - 16) * d.
    static func dequantizeQ5_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let x = src + b * 22
            let y = dst + b * 32
            let d = loadHalf(x, 0)
            let qh = x.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
            for j in 0..<16 {
                let q = UInt32(loadByte(x, 6 + j))
                let h0 = ((qh >> UInt32(j)) << 4) & 0x10
                let h1 = (qh >> UInt32(j + 12)) & 0x10
                y[j] = Float(Int32(bitPattern: (q & 0x0F) | h0) - 16) * d
                y[j + 16] = Float(Int32(bitPattern: (q >> 4) | h1) - 16) * d
            }
        }
    }

    /// Q5_1: fp16 d, fp16 m, 32 high bits, 16 bytes of nibbles; value = q * d + m.
    static func dequantizeQ5_1(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let x = src + b * 24
            let y = dst + b * 32
            let d = loadHalf(x, 0)
            let m = loadHalf(x, 2)
            let qh = x.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
            for j in 0..<16 {
                let q = UInt32(loadByte(x, 8 + j))
                let h0 = ((qh >> UInt32(j)) << 4) & 0x10
                let h1 = (qh >> UInt32(j + 12)) & 0x10
                y[j] = Float(Int32(bitPattern: (q & 0x0F) | h0)) * d + m
                y[j + 16] = Float(Int32(bitPattern: (q >> 4) | h1)) * d + m
            }
        }
    }

    /// Q8_0: fp16 d, 32 signed bytes; value = q * d.
    static func dequantizeQ8_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let x = src + b * 34
            let y = dst + b * 32
            let d = loadHalf(x, 0)
            for j in 0..<32 {
                y[j] = Float(Int8(bitPattern: loadByte(x, 2 + j))) * d
            }
        }
    }

    /// Q2_K: 16 scale bytes (low nibble scale, high nibble min), 64 bytes of 2-bit values, fp16 d, fp16 dmin.
    static func dequantizeQ2_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let x = src + b * 84
            var y = dst + b * 256
            let d = loadHalf(x, 80)
            let dmin = loadHalf(x, 82)
            var scaleIndex = 0
            for half in 0..<2 {
                let q = 16 + half * 32
                var shift: UInt8 = 0
                for _ in 0..<4 {
                    for part in 0..<2 {
                        let sc = loadByte(x, scaleIndex)
                        scaleIndex += 1
                        let dl = d * Float(sc & 0x0F)
                        let ml = dmin * Float(sc >> 4)
                        for l in 0..<16 {
                            y[l] = dl * Float((loadByte(x, q + part * 16 + l) >> shift) & 3) - ml
                        }
                        y += 16
                    }
                    shift += 2
                }
            }
        }
    }

    /// Q3_K: 32 bytes of high-bit masks, 64 bytes of 2-bit values, 12 bytes of 6-bit scales, fp16 d.
    static func dequantizeQ3_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let x = src + b * 110
            var y = dst + b * 256
            let dAll = loadHalf(x, 108)
            var scaleIndex = 0
            var m: UInt8 = 1
            for half in 0..<2 {
                let q = 32 + half * 32
                var shift: UInt8 = 0
                for _ in 0..<4 {
                    for part in 0..<2 {
                        let dl = dAll * Float(q3KScale(x, scaleIndex) - 32)
                        scaleIndex += 1
                        for l in 0..<16 {
                            let low = Int32((loadByte(x, q + part * 16 + l) >> shift) & 3)
                            let high: Int32 = (loadByte(x, part * 16 + l) & m) != 0 ? 0 : 4
                            y[l] = dl * Float(low - high)
                        }
                        y += 16
                    }
                    shift += 2
                    m <<= 1
                }
            }
        }
    }

    /// The 6-bit scale `i` (0..<16) of a Q3_K block at `x` (scales start at byte 96).
    @inline(__always)
    static func q3KScale(_ x: UnsafeRawPointer, _ i: Int) -> Int32 {
        let low = i < 8 ? loadByte(x, 96 + i) & 0x0F : loadByte(x, 96 + i - 8) >> 4
        let high = (loadByte(x, 96 + 8 + i % 4) >> UInt8(2 * (i / 4))) & 3
        return Int32(low | (high << 4))
    }

    /// The 6-bit scale and min `j` (0..<8) of a Q4_K/Q5_K block whose 12 scale bytes start at `s`
    /// (`get_scale_min_k4`).
    @inline(__always)
    static func scaleMinK4(_ s: UnsafeRawPointer, _ j: Int) -> (scale: UInt8, min: UInt8) {
        if j < 4 {
            return (loadByte(s, j) & 63, loadByte(s, j + 4) & 63)
        }
        let scale = (loadByte(s, j + 4) & 0x0F) | ((loadByte(s, j - 4) >> 6) << 4)
        let min = (loadByte(s, j + 4) >> 4) | ((loadByte(s, j) >> 6) << 4)
        return (scale, min)
    }

    /// Q4_K: fp16 d, fp16 dmin, 12 bytes of 6-bit scales/mins, 128 bytes of nibbles.
    static func dequantizeQ4_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let x = src + b * 144
            var y = dst + b * 256
            let d = loadHalf(x, 0)
            let dmin = loadHalf(x, 2)
            let scales = x + 4
            for chunk in 0..<4 {
                let q = 16 + chunk * 32
                let (sc1, m1) = scaleMinK4(scales, 2 * chunk)
                let (sc2, m2) = scaleMinK4(scales, 2 * chunk + 1)
                let d1 = d * Float(sc1)
                let min1 = dmin * Float(m1)
                let d2 = d * Float(sc2)
                let min2 = dmin * Float(m2)
                for l in 0..<32 { y[l] = d1 * Float(loadByte(x, q + l) & 0x0F) - min1 }
                for l in 0..<32 { y[32 + l] = d2 * Float(loadByte(x, q + l) >> 4) - min2 }
                y += 64
            }
        }
    }

    /// Q5_K: fp16 d, fp16 dmin, 12 bytes of 6-bit scales/mins, 32 bytes of high bits, 128 bytes of nibbles.
    static func dequantizeQ5_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let x = src + b * 176
            var y = dst + b * 256
            let d = loadHalf(x, 0)
            let dmin = loadHalf(x, 2)
            let scales = x + 4
            var u1: UInt8 = 1
            var u2: UInt8 = 2
            for chunk in 0..<4 {
                let ql = 48 + chunk * 32
                let (sc1, m1) = scaleMinK4(scales, 2 * chunk)
                let (sc2, m2) = scaleMinK4(scales, 2 * chunk + 1)
                let d1 = d * Float(sc1)
                let min1 = dmin * Float(m1)
                let d2 = d * Float(sc2)
                let min2 = dmin * Float(m2)
                for l in 0..<32 {
                    let h: UInt8 = (loadByte(x, 16 + l) & u1) != 0 ? 16 : 0
                    y[l] = d1 * Float((loadByte(x, ql + l) & 0x0F) + h) - min1
                }
                for l in 0..<32 {
                    let h: UInt8 = (loadByte(x, 16 + l) & u2) != 0 ? 16 : 0
                    y[32 + l] = d2 * Float((loadByte(x, ql + l) >> 4) + h) - min2
                }
                y += 64
                u1 <<= 2
                u2 <<= 2
            }
        }
    }

    /// Q6_K: 128 bytes of low nibbles, 64 bytes of 2-bit highs, 16 signed 8-bit scales, fp16 d.
    static func dequantizeQ6_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0..<blocks {
            let x = src + b * 210
            let y = dst + b * 256
            let d = loadHalf(x, 208)
            for half in 0..<2 {
                let ql = half * 64
                let qh = 128 + half * 32
                let sc = 192 + half * 8
                let out = y + half * 128
                for l in 0..<32 {
                    let scaleIndex = l / 16
                    let h = loadByte(x, qh + l)
                    let a = loadByte(x, ql + l)
                    let c = loadByte(x, ql + l + 32)
                    let q1 = Int32((a & 0x0F) | ((h & 3) << 4)) - 32
                    let q2 = Int32((c & 0x0F) | (((h >> 2) & 3) << 4)) - 32
                    let q3 = Int32((a >> 4) | (((h >> 4) & 3) << 4)) - 32
                    let q4 = Int32((c >> 4) | (((h >> 6) & 3) << 4)) - 32
                    out[l] = d * Float(Int8(bitPattern: loadByte(x, sc + scaleIndex))) * Float(q1)
                    out[l + 32] = d * Float(Int8(bitPattern: loadByte(x, sc + scaleIndex + 2))) * Float(q2)
                    out[l + 64] = d * Float(Int8(bitPattern: loadByte(x, sc + scaleIndex + 4))) * Float(q3)
                    out[l + 96] = d * Float(Int8(bitPattern: loadByte(x, sc + scaleIndex + 6))) * Float(q4)
                }
            }
        }
    }
}
