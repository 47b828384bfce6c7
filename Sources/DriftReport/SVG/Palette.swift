/// Colour-blind-safe colours: Okabe–Ito for categories, Paul Tol's "muted" set for variant pairs, and marker shapes
/// for variants.
public enum Palette {
    /// Okabe & Ito (2008), black moved last; safe for the common colour-vision deficiencies.
    public static let okabeIto = [
        "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
    ]

    /// Paul Tol's "muted" qualitative scheme (9 colours), for variant pairs in line charts.
    public static let tolMuted = [
        "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499",
    ]

    /// Dash patterns that separate lines beyond colour (for print in grey and > 9 pairs).
    public static let dashes = ["", "6 3", "2 2", "8 3 2 3", "1 3"]

    /// The colour of category number `index` (categories sorted by name, so every figure agrees).
    public static func category(_ index: Int) -> String {
        let base = okabeIto[index % okabeIto.count]
        // Past eight categories the cycle repeats; figures add the category name wherever a colour appears.
        return base
    }

    /// The colour of variant pair number `index`.
    public static func pair(_ index: Int) -> String { tolMuted[index % tolMuted.count] }

    /// The dash pattern of variant pair number `index` (cycles independently of the colour, so neighbouring pairs
    /// differ in both).
    public static func pairDash(_ index: Int) -> String { dashes[index % dashes.count] }
}
