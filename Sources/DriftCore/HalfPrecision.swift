/// Conversions between 16-bit floating-point encodings and `Float`.
public enum HalfPrecision {
    /// The `Float` value of a bfloat16 bit pattern (exact).
    @inlinable
    public static func float(fromBFloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// The bfloat16 bit pattern nearest to `value`, ties to even (as PyTorch rounds); NaN stays NaN.
    @inlinable
    public static func bfloat16(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: (bits >> 16) | 0x40) }
        let roundingBias: UInt32 = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
    }

    /// The `Float` value of an IEEE 754 binary16 bit pattern (exact).
    @inlinable
    public static func float(fromFloat16 bits: UInt16) -> Float {
        #if arch(x86_64) || arch(arm64)
            return Float(Float16(bitPattern: bits))
        #else
            return floatFromHalfBits(bits)
        #endif
    }

    /// The binary16 bit pattern nearest to `value` (round to nearest even).
    @inlinable
    public static func float16(from value: Float) -> UInt16 {
        Float16(value).bitPattern
    }

    /// Converts `count` bfloat16 values to `Float`.
    @inlinable
    public static func convertBFloat16(
        _ source: UnsafePointer<UInt16>, to destination: UnsafeMutablePointer<Float>, count: Int
    ) {
        for i in 0..<count { destination[i] = float(fromBFloat16: source[i]) }
    }

    /// Converts `count` binary16 values to `Float`.
    @inlinable
    public static func convertFloat16(
        _ source: UnsafePointer<UInt16>, to destination: UnsafeMutablePointer<Float>, count: Int
    ) {
        for i in 0..<count { destination[i] = float(fromFloat16: source[i]) }
    }

    @usableFromInline
    static func floatFromHalfBits(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 31 {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | (UInt32(exponent + 112) << 23) | (mantissa << 13))
    }
}
