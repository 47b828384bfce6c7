import DriftCore

// Q4_K and Q6_K reference quantizers: `quantize_row_q4_K_ref` (with `make_qkx2_quants`) and
// `quantize_row_q6_K_ref` (with `make_qx_quants`, rmse_type 1) from ggml-quants.c.

private let groupMaxEps: Float = 1e-15

extension GGMLQuantizer {
    /// `make_qkx2_quants`: a scale and a (negated) min for `n` values with weights, searching `nstep + 1` scales.
    static func makeQKX2Quants(
        _ n: Int, _ nmax: Int32, _ x: UnsafePointer<Float>, _ weights: UnsafePointer<Float>,
        _ L: UnsafeMutablePointer<UInt8>, _ theMin: inout Float, _ Laux: UnsafeMutablePointer<UInt8>,
        rmin: Float, rdelta: Float, nstep: Int, useMad: Bool
    ) -> Float {
        var min = x[0]
        var max = x[0]
        var sumW = weights[0]
        var sumX = sumW * x[0]
        for i in 1..<n {
            if x[i] < min { min = x[i] }
            if x[i] > max { max = x[i] }
            let w = weights[i]
            sumW += w
            sumX += w * x[i]
        }
        if min > 0 { min = 0 }
        if max == min {
            for i in 0..<n { L[i] = 0 }
            theMin = -min
            return 0
        }
        let nmaxF = Float(nmax)
        var iscale = nmaxF / (max - min)
        var scale = 1 / iscale
        var bestError: Float = 0
        for i in 0..<n {
            let l = ggmlNearestInt(iscale * (x[i] - min))
            L[i] = UInt8(truncatingIfNeeded: Swift.max(0, Swift.min(nmax, l)))
            var diff = scale * Float(L[i]) + min - x[i]
            diff = useMad ? abs(diff) : diff * diff
            bestError += weights[i] * diff
        }
        if nstep < 1 {
            theMin = -min
            return scale
        }
        for step in 0...nstep {
            iscale = (rmin + rdelta * Float(step) + nmaxF) / (max - min)
            var sumL: Float = 0
            var sumL2: Float = 0
            var sumXL: Float = 0
            for i in 0..<n {
                var l = ggmlNearestInt(iscale * (x[i] - min))
                l = Swift.max(0, Swift.min(nmax, l))
                Laux[i] = UInt8(truncatingIfNeeded: l)
                let w = weights[i]
                let lf = Float(l)
                sumL += w * lf
                sumL2 += w * lf * lf
                sumXL += w * lf * x[i]
            }
            let D = sumW * sumL2 - sumL * sumL
            if D > 0 {
                var thisScale = (sumW * sumXL - sumX * sumL) / D
                var thisMin = (sumL2 * sumX - sumL * sumXL) / D
                if thisMin > 0 {
                    thisMin = 0
                    thisScale = sumXL / sumL2
                }
                var curError: Float = 0
                for i in 0..<n {
                    var diff = thisScale * Float(Laux[i]) + thisMin - x[i]
                    diff = useMad ? abs(diff) : diff * diff
                    curError += weights[i] * diff
                }
                if curError < bestError {
                    for i in 0..<n { L[i] = Laux[i] }
                    bestError = curError
                    scale = thisScale
                    min = thisMin
                }
            }
        }
        theMin = -min
        return scale
    }

    /// `make_qx_quants` with `rmse_type` 1 (weights x²) and no importance weights; `L` gets `l + nmax`.
    static func makeQXQuants(_ n: Int, _ nmax: Int32, _ x: UnsafePointer<Float>, _ L: UnsafeMutablePointer<UInt8>)
        -> Float
    {
        var max: Float = 0
        var amax: Float = 0
        for i in 0..<n {
            let ax = abs(x[i])
            if ax > amax {
                amax = ax
                max = x[i]
            }
        }
        if amax < groupMaxEps {
            for i in 0..<n { L[i] = 0 }
            return 0
        }
        let nmaxF = Float(nmax)
        var iscale = Float(-nmax) / max
        var sumlx: Float = 0
        var suml2: Float = 0
        for i in 0..<n {
            var l = ggmlNearestInt(iscale * x[i])
            l = Swift.max(-nmax, Swift.min(nmax - 1, l))
            L[i] = UInt8(truncatingIfNeeded: l + nmax)
            let w = x[i] * x[i]
            let lf = Float(l)
            sumlx += w * x[i] * lf
            suml2 += w * lf * lf
        }
        var scale: Float = suml2 != 0 ? sumlx / suml2 : 0
        var best = scale * sumlx
        for step in -9...9 where step != 0 {
            iscale = -(nmaxF + 0.1 * Float(step)) / max
            sumlx = 0
            suml2 = 0
            for i in 0..<n {
                var l = ggmlNearestInt(iscale * x[i])
                l = Swift.max(-nmax, Swift.min(nmax - 1, l))
                let w = x[i] * x[i]
                let lf = Float(l)
                sumlx += w * x[i] * lf
                suml2 += w * lf * lf
            }
            if suml2 > 0 && sumlx * sumlx > best * suml2 {
                for i in 0..<n {
                    let l = ggmlNearestInt(iscale * x[i])
                    L[i] = UInt8(truncatingIfNeeded: nmax + Swift.max(-nmax, Swift.min(nmax - 1, l)))
                }
                scale = sumlx / suml2
                best = scale * sumlx
            }
        }
        return scale
    }

    static func quantizeQ4_K(_ src: UnsafePointer<Float>, _ dst: UnsafeMutableRawPointer, _ blocks: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256 + 32) { bytes in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 32 + 8 + 8) { floats in
                guard let L = bytes.baseAddress, let weights = floats.baseAddress else { return }
                let Laux = L + 256
                let mins = weights + 32
                let scales = weights + 40
                for b in 0..<blocks {
                    quantizeQ4_KBlock(src + 256 * b, dst + 144 * b, L, Laux, weights, mins, scales)
                }
            }
        }
    }

    // swiftlint:disable:next function_parameter_count
    private static func quantizeQ4_KBlock(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer, _ L: UnsafeMutablePointer<UInt8>,
        _ Laux: UnsafeMutablePointer<UInt8>, _ weights: UnsafeMutablePointer<Float>,
        _ mins: UnsafeMutablePointer<Float>, _ scales: UnsafeMutablePointer<Float>
    ) {
        var maxScale: Float = 0
        var maxMin: Float = 0
        for j in 0..<8 {
            let xs = x + 32 * j
            var sumX2: Float = 0
            for l in 0..<32 { sumX2 += xs[l] * xs[l] }
            let avX = (sumX2 / 32).squareRoot()
            for l in 0..<32 { weights[l] = avX + abs(xs[l]) }
            var theMin: Float = 0
            scales[j] = makeQKX2Quants(
                32, 15, xs, weights, L + 32 * j, &theMin, Laux, rmin: -1, rdelta: 0.1, nstep: 20, useMad: false)
            mins[j] = theMin
            if scales[j] > maxScale { maxScale = scales[j] }
            if mins[j] > maxMin { maxMin = mins[j] }
        }
        let invScale: Float = maxScale > 0 ? 63 / maxScale : 0
        let invMin: Float = maxMin > 0 ? 63 / maxMin : 0
        let s = y + 4
        for j in 0..<8 {
            let ls = Swift.min(63, UInt8(truncatingIfNeeded: ggmlNearestInt(invScale * scales[j])))
            let lm = Swift.min(63, UInt8(truncatingIfNeeded: ggmlNearestInt(invMin * mins[j])))
            if j < 4 {
                s.storeBytes(of: ls, toByteOffset: j, as: UInt8.self)
                s.storeBytes(of: lm, toByteOffset: j + 4, as: UInt8.self)
            } else {
                s.storeBytes(of: (ls & 0x0F) | ((lm & 0x0F) << 4), toByteOffset: j + 4, as: UInt8.self)
                let a = s.load(fromByteOffset: j - 4, as: UInt8.self) | ((ls >> 4) << 6)
                s.storeBytes(of: a, toByteOffset: j - 4, as: UInt8.self)
                let c = s.load(fromByteOffset: j, as: UInt8.self) | ((lm >> 4) << 6)
                s.storeBytes(of: c, toByteOffset: j, as: UInt8.self)
            }
        }
        let dBits = fp16Bits(maxScale / 63)
        let dminBits = fp16Bits(maxMin / 63)
        y.storeBytes(of: dBits, toByteOffset: 0, as: UInt16.self)
        y.storeBytes(of: dminBits, toByteOffset: 2, as: UInt16.self)
        let d16 = halfToFloat(dBits)
        let dmin16 = halfToFloat(dminBits)
        for j in 0..<8 {
            let (sc, m) = GGMLDequantizer.scaleMinK4(UnsafeRawPointer(s), j)
            let d = d16 * Float(sc)
            if d == 0 { continue }
            let dm = dmin16 * Float(m)
            for ii in 0..<32 {
                let l = ggmlNearestInt((x[32 * j + ii] + dm) / d)
                L[32 * j + ii] = UInt8(truncatingIfNeeded: Swift.max(0, Swift.min(15, l)))
            }
        }
        for chunk in 0..<4 {
            let j = 64 * chunk
            for l in 0..<32 {
                y.storeBytes(of: L[j + l] | (L[j + l + 32] << 4), toByteOffset: 16 + 32 * chunk + l, as: UInt8.self)
            }
        }
    }

    static func quantizeQ6_K(_ src: UnsafePointer<Float>, _ dst: UnsafeMutableRawPointer, _ blocks: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { bytes in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { floats in
                guard let L = bytes.baseAddress, let scales = floats.baseAddress else { return }
                for b in 0..<blocks {
                    quantizeQ6_KBlock(src + 256 * b, dst + 210 * b, L, scales)
                }
            }
        }
    }

    private static func quantizeQ6_KBlock(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer, _ L: UnsafeMutablePointer<UInt8>,
        _ scales: UnsafeMutablePointer<Float>
    ) {
        var maxScale: Float = 0
        var maxAbsScale: Float = 0
        for ib in 0..<16 {
            let scale = makeQXQuants(16, 32, x + 16 * ib, L + 16 * ib)
            scales[ib] = scale
            let absScale = abs(scale)
            if absScale > maxAbsScale {
                maxAbsScale = absScale
                maxScale = scale
            }
        }
        if maxAbsScale < groupMaxEps {
            y.initializeMemory(as: UInt8.self, repeating: 0, count: 210)
            return
        }
        let iscale = -128 / maxScale
        let dBits = fp16Bits(1 / iscale)
        y.storeBytes(of: dBits, toByteOffset: 208, as: UInt16.self)
        let d16 = halfToFloat(dBits)
        for ib in 0..<16 {
            let q = Int8(truncatingIfNeeded: Swift.min(127, ggmlNearestInt(iscale * scales[ib])))
            y.storeBytes(of: q, toByteOffset: 192 + ib, as: Int8.self)
        }
        for j in 0..<16 {
            let d = d16 * Float(y.load(fromByteOffset: 192 + j, as: Int8.self))
            if d == 0 { continue }
            for ii in 0..<16 {
                let l = ggmlNearestInt(x[16 * j + ii] / d)
                L[16 * j + ii] = UInt8(truncatingIfNeeded: Swift.max(-32, Swift.min(31, l)) + 32)
            }
        }
        for half in 0..<2 {
            let j = 128 * half
            let ql = 64 * half
            let qh = 128 + 32 * half
            for l in 0..<32 {
                let q1 = L[j + l] & 0x0F
                let q2 = L[j + l + 32] & 0x0F
                let q3 = L[j + l + 64] & 0x0F
                let q4 = L[j + l + 96] & 0x0F
                y.storeBytes(of: q1 | (q3 << 4), toByteOffset: ql + l, as: UInt8.self)
                y.storeBytes(of: q2 | (q4 << 4), toByteOffset: ql + l + 32, as: UInt8.self)
                let h =
                    (L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2) | ((L[j + l + 64] >> 4) << 4)
                    | ((L[j + l + 96] >> 4) << 6)
                y.storeBytes(of: h, toByteOffset: qh + l, as: UInt8.self)
            }
        }
    }
}
