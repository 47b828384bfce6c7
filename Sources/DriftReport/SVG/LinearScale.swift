/// A linear map from data values to pixel positions, with "nice" round ticks.
public struct LinearScale: Sendable, Equatable {
    /// The data interval (`domain.lower` maps to `range.lower`).
    public var domain: (lower: Double, upper: Double)
    /// The pixel interval.
    public var range: (lower: Double, upper: Double)

    /// Creates a scale; an empty or non-finite domain is widened to a unit interval so that nothing divides by zero.
    public init(domain: (Double, Double), range: (Double, Double)) {
        var (lo, hi) = domain
        if !lo.isFinite || !hi.isFinite { (lo, hi) = (0, 1) }
        if lo == hi { (lo, hi) = (lo - 0.5, hi + 0.5) }
        self.domain = (lo, hi)
        self.range = range
    }

    public static func == (a: LinearScale, b: LinearScale) -> Bool {
        a.domain == b.domain && a.range == b.range
    }

    /// The pixel position of `value` (not clamped).
    public func callAsFunction(_ value: Double) -> Double {
        range.lower + (value - domain.lower) / (domain.upper - domain.lower) * (range.upper - range.lower)
    }

    /// The step between about `count` ticks: 1, 2 or 5 × a power of ten (as d3's `tickStep`).
    public static func tickStep(_ lower: Double, _ upper: Double, count: Int) -> Double {
        let raw = abs(upper - lower) / Double(max(count, 1))
        guard raw > 0, raw.isFinite else { return 1 }
        let power = raw.log10Floor
        let base = pow10(power)
        let error = raw / base
        let factor: Double =
            error >= 7.0710678118654755 ? 10 : error >= 3.1622776601683795 ? 5 : error >= 1.4142135623730951 ? 2 : 1
        return factor * base
    }

    /// Round tick values inside the domain, about `count` of them.
    public func ticks(count: Int = 5) -> [Double] {
        let step = Self.tickStep(domain.lower, domain.upper, count: count)
        let lo = min(domain.lower, domain.upper)
        let hi = max(domain.lower, domain.upper)
        let first = (lo / step).rounded(.up)
        let last = (hi / step).rounded(.down)
        guard first <= last, last - first < 1000 else { return [] }
        return stride(from: first, through: last, by: 1).map { k in
            // Dividing the integer index by the inverse step keeps values such as 0.30000000000000004 out.
            step < 1 ? k / (1 / step).rounded() : k * step
        }
    }

    /// This scale with its domain extended outward to the nearest ticks (as d3's `nice`).
    public func niced(count: Int = 5) -> LinearScale {
        let step = Self.tickStep(domain.lower, domain.upper, count: count)
        let lo = (domain.lower / step).rounded(.down) * step
        let hi = (domain.upper / step).rounded(.up) * step
        return LinearScale(domain: (lo, hi), range: (range.lower, range.upper))
    }

    /// Digits after the decimal point that show every tick of `step` exactly.
    public static func decimals(forStep step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        return max(0, -Int((step * 1.000001).log10Floor))
    }

    static func pow10(_ n: Int) -> Double {
        var v = 1.0
        if n >= 0 { for _ in 0..<n { v *= 10 } } else { for _ in 0..<(-n) { v /= 10 } }
        return v
    }
}

extension Double {
    /// ⌊log10(self)⌋ for a positive finite value.
    var log10Floor: Int {
        var n = 0
        var x = self
        while x >= 10 { x /= 10; n += 1 }
        while x < 1 { x *= 10; n -= 1 }
        return n
    }
}
