/// The routing as a `config.json` states it, checked.
typealias ExpertRouting = ArchitectureSpec.ExpertRouting

extension ArchitectureSpec.ExpertRouting {
    /// Checks a family's expert settings: at least one expert, `1 ≤ active ≤ count`, a positive width.
    ///
    /// - Throws: a one-line error naming the file and the field that is out of range.
    static func read(
        _ reader: ConfigurationReader, count: Int, active: Int, width: Int, normalizes: Bool, layers: [Bool]
    ) throws -> Self {
        guard count > 0, count <= 1 << 16 else {
            throw reader.problem("the expert count is \(count); it must be between 1 and 65536")
        }
        guard active > 0, active <= count else {
            throw reader.problem("\"num_experts_per_tok\" is \(active); it must be between 1 and the \(count) experts")
        }
        guard width > 0, width <= ModelConfiguration.limits.width else {
            throw reader.problem(
                "the expert width is \(width); it must be between 1 and \(ModelConfiguration.limits.width)")
        }
        return Self(count: count, active: active, intermediateSize: width, normalizesTopK: normalizes, layers: layers)
    }
}
