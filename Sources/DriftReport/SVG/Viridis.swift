/// The viridis sequential colour map (matplotlib's, perceptually uniform and colour-blind safe), for drift.
public enum Viridis {
    /// viridis sampled at 0, 1/16, …, 1 (matplotlib `cm.viridis`, rounded), as RGB 0…255.
    static let stops: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 24, 106), (71, 45, 123), (66, 64, 134), (59, 82, 139), (51, 99, 141),
        (44, 114, 142), (38, 130, 142), (33, 145, 140), (31, 160, 136), (40, 174, 128), (63, 188, 115),
        (94, 201, 98), (132, 212, 75), (173, 220, 48), (216, 226, 25), (253, 231, 37),
    ]

    /// The colour at `t` in 0…1 (clamped), as `#rrggbb`, linearly interpolated between the stops.
    public static func color(_ t: Double) -> String {
        let x = t.isFinite ? min(max(t, 0), 1) : 0
        let position = x * Double(stops.count - 1)
        let i = min(Int(position), stops.count - 2)
        let f = position - Double(i)
        let (a, b) = (stops[i], stops[i + 1])
        func channel(_ u: Double, _ v: Double) -> String {
            let value = Int((u + (v - u) * f).rounded())
            let hex = String(value, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }
        return "#" + channel(a.0, b.0) + channel(a.1, b.1) + channel(a.2, b.2)
    }
}
