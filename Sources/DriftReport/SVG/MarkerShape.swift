import Foundation

/// One marker shape per variant, drawn as an SVG path centred on a point.
public enum MarkerShape: Int, CaseIterable, Sendable {
    case circle, square, triangle, diamond, cross, triangleDown, star, hexagon

    /// The shape of variant number `index` (cycling after eight).
    public static func forVariant(_ index: Int) -> MarkerShape { allCases[index % allCases.count] }

    /// A readable name for legends and captions.
    public var name: String {
        switch self {
        case .circle: "circle"
        case .square: "square"
        case .triangle: "triangle"
        case .diamond: "diamond"
        case .cross: "cross"
        case .triangleDown: "inverted triangle"
        case .star: "star"
        case .hexagon: "hexagon"
        }
    }

    /// The path data of this shape centred at (`x`, `y`) with radius `r` (pixels).
    public func path(x: Double, y: Double, r: Double) -> String {
        func p(_ points: [(Double, Double)]) -> String {
            "M"
                + points.map { Markup.coordinate(x + $0.0 * r) + " " + Markup.coordinate(y + $0.1 * r) }
                .joined(separator: "L") + "Z"
        }
        switch self {
        case .circle:
            let c = Markup.coordinate
            return "M\(c(x - r)) \(c(y))a\(c(r)) \(c(r)) 0 1 0 \(c(2 * r)) 0a\(c(r)) \(c(r)) 0 1 0 \(c(-2 * r)) 0Z"
        case .square: return p([(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)])
        case .triangle: return p([(0, -1.15), (1.05, 0.8), (-1.05, 0.8)])
        case .diamond: return p([(0, -1.2), (1.2, 0), (0, 1.2), (-1.2, 0)])
        case .cross:
            let a = 0.35
            let b = 1.1
            return p([
                (-a, -b), (a, -b), (a, -a), (b, -a), (b, a), (a, a), (a, b), (-a, b), (-a, a), (-b, a), (-b, -a),
                (-a, -a),
            ])
        case .triangleDown: return p([(0, 1.15), (1.05, -0.8), (-1.05, -0.8)])
        case .star:
            return p(
                (0..<10).map { k in
                    let angle = Double(k) * Double.pi / 5 - Double.pi / 2
                    let radius = k % 2 == 0 ? 1.25 : 0.55
                    return (radius * cos(angle), radius * sin(angle))
                })
        case .hexagon:
            return p(
                (0..<6).map { k in
                    let angle = Double(k) * Double.pi / 3
                    return (1.05 * cos(angle), 1.05 * sin(angle))
                })
        }
    }
}
