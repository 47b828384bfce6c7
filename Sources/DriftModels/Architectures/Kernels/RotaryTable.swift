import Foundation

/// Cosines and sines of one rotary embedding for positions `0..<positions`, as transformers computes them.
///
/// `cos[p · half + j]`, `half = rotaryDimensions / 2`; dimension `j` of a head rotates with `j + half`
/// (transformers' `rotate_half` layout).
package struct RotaryTable: Sendable {
    package let rope: ArchitectureSpec.Rope
    package let positions: Int
    package let cos: [Float]
    package let sin: [Float]

    package init(rope: ArchitectureSpec.Rope, positions: Int) {
        self.rope = rope
        self.positions = positions
        let inverse = Self.inverseFrequencies(rope, positions: positions)
        let half = inverse.count
        var attentionFactor: Float?
        if case .longrope(_, _, let factor, _) = rope.scaling, factor != 1 { attentionFactor = Float(factor) }
        if case .yarn(_, _, _, _, _, let factor) = rope.scaling, factor != 1 { attentionFactor = Float(factor) }
        var cos = [Float](repeating: 1, count: positions * half)
        var sin = [Float](repeating: 0, count: positions * half)
        for p in 0..<positions {
            for j in 0..<half {
                let angle = Float(p) * inverse[j]  // float32 product, as transformers' matmul
                cos[p * half + j] = Float(Foundation.cos(Double(angle)))
                sin[p * half + j] = Float(Foundation.sin(Double(angle)))
                if let attentionFactor {
                    cos[p * half + j] *= attentionFactor
                    sin[p * half + j] *= attentionFactor
                }
            }
        }
        self.cos = cos
        self.sin = sin
    }

    /// The inverse frequencies, `rotaryDimensions / 2` of them, with the rope's scaling applied for sequences of
    /// `positions` tokens (longrope switches to its long factors past the original context).
    package static func inverseFrequencies(_ rope: ArchitectureSpec.Rope, positions: Int = 0) -> [Float] {
        let dim = rope.rotaryDimensions
        let base = Float(rope.theta)
        var inverse = (0..<(dim / 2)).map { i -> Float in
            let exponent = Float(2 * i) / Float(dim)
            return 1 / Float(pow(Double(base), Double(exponent)))
        }
        switch rope.scaling {
        case .none:
            break
        case .linear(let factor):
            inverse = inverse.map { $0 / Float(factor) }
        case .frequencyFactors(let factors):
            inverse = inverse.indices.map { i in i < factors.count ? inverse[i] / factors[i] : inverse[i] }
        case .longrope(let short, let long, _, let original):
            // transformers: 1 / (factor · base^(2i/d)), long factors once the sequence passes the original context.
            let factors = positions > original ? long : short
            inverse = (0..<(dim / 2)).map { i -> Float in
                let exponent = Float(2 * i) / Float(dim)
                let power = Float(pow(Double(base), Double(exponent)))
                return 1 / ((i < factors.count ? factors[i] : 1) * power)
            }
        case .yarn(let factor, let fast, let slow, let context, let truncate, _):
            // transformers' _compute_yarn_parameters: the dimension where a frequency turns `rotations` times over
            // the original context, then a linear ramp from the extrapolated to the interpolated frequencies.
            func correction(_ rotations: Double) -> Double {
                Double(dim) * Foundation.log(context / (rotations * 2 * Double.pi)) / (2 * Foundation.log(rope.theta))
            }
            var low = correction(fast)
            var high = correction(slow)
            if truncate {
                low = low.rounded(.down)
                high = high.rounded(.up)
            }
            low = max(low, 0)
            high = min(high, Double(dim - 1))
            if low == high { high += 0.001 }
            inverse = (0..<(dim / 2)).map { i -> Float in
                let exponent = Float(2 * i) / Float(dim)
                let power = Float(pow(Double(base), Double(exponent)))
                let ramp = min(max((Float(i) - Float(low)) / Float(high - low), 0), 1)
                let extrapolation = 1 - ramp
                let interpolated = 1 / (Float(factor) * power)
                return interpolated * (1 - extrapolation) + (1 / power) * extrapolation
            }
        case .llama3(let factor, let low, let high, let context):
            let lowWavelength = context / low
            let highWavelength = context / high
            inverse = inverse.map { value in
                let f = Double(value)
                let wavelength = 2 * Double.pi / f
                if wavelength < highWavelength { return value }
                if wavelength > lowWavelength { return Float(f / factor) }
                let smooth = (context / wavelength - low) / (high - low)
                return Float((1 - smooth) * f / factor + smooth * f)
            }
        }
        return inverse
    }

    /// Rotates the first `rotaryDimensions` values of the head vector `x` for `position`.
    @inline(__always)
    package func apply(
        _ x: UnsafeMutablePointer<Float>, position: Int, cos: UnsafePointer<Float>, sin: UnsafePointer<Float>
    ) {
        let half = rope.rotaryDimensions / 2
        let c = cos + position * half
        let s = sin + position * half
        for j in 0..<half {
            let x1 = x[j]
            let x2 = x[j + half]
            x[j] = x1 * c[j] - x2 * s[j]
            x[j + half] = x2 * c[j] + x1 * s[j]
        }
    }
}
