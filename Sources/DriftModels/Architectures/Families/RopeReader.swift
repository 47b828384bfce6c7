import DriftCore
import Foundation

/// Reads rotary settings from transformers 5's `rope_parameters` (flat or per layer type) or the classic
/// `rope_theta` + `rope_scaling` keys, with the precedence transformers applies.
package struct RopeReader {
    package let reader: ConfigurationReader
    package let defaults: ConfigurationDefaults
    package let maxPositions: Int

    package init(reader: ConfigurationReader, defaults: ConfigurationDefaults, maxPositions: Int) {
        self.reader = reader
        self.defaults = defaults
        self.maxPositions = maxPositions
    }

    /// The base frequency written outside the rope dictionaries, if any.
    package func outerTheta() throws -> Double? {
        for key in defaults.ropeThetaKeys {
            if let value = try reader.optionalNumber(key) { return value }
        }
        return nil
    }

    /// The rotated fraction written outside the rope dictionaries, if any.
    package func outerPartial() throws -> Double? {
        for key in defaults.partialRotaryKeys {
            if let value = try reader.optionalNumber(key) { return value }
        }
        return nil
    }

    /// Rope parameters for the whole model, or per layer type when the dictionary is keyed by layer type (then the
    /// full-attention entry comes first, the sliding one second where both exist).
    package func standard(
        layerTypes: [String]
    ) throws -> (full: ModelConfiguration.RopeParameters?, sliding: ModelConfiguration.RopeParameters?) {
        guard defaults.rotaryPositions else { return (nil, nil) }
        let entry = try reader.optionalObject("rope_scaling") ?? reader.optionalObject("rope_parameters") ?? [:]
        let theta = try outerTheta() ?? defaults.ropeTheta
        let partial = try outerPartial() ?? defaults.partialRotaryFactor
        let nestedKeys = Set(layerTypes).filter { entry[$0] != nil }
        if nestedKeys.isEmpty {
            return (try build(entry, defaultTheta: theta, defaultPartial: partial), nil)
        }
        let full = try entry["full_attention"]?.objectValue.map {
            try build($0, defaultTheta: theta, defaultPartial: partial)
        }
        let sliding = try entry["sliding_attention"]?.objectValue.map {
            try build($0, defaultTheta: theta, defaultPartial: partial)
        }
        return (full ?? sliding, full == nil ? nil : sliding)
    }

    /// One rope entry (`rope_type`, `rope_theta`, scaling keys) as parameters.
    package func build(
        _ entry: [String: JSONValue], defaultTheta: Double, defaultPartial: Double
    ) throws -> ModelConfiguration.RopeParameters {
        func number(_ value: JSONValue?, _ key: String) throws -> Double? {
            guard let value, !value.isNull else { return nil }
            guard let number = value.doubleValue else {
                throw reader.problem("\"\(key)\" is \(ConfigurationReader.shown(value)), not a number")
            }
            return number
        }
        func numbers(_ key: String) throws -> [Double]? {
            guard let value = entry[key], !value.isNull else { return nil }
            guard let list = value.arrayValue?.compactMap(\.doubleValue), list.count == value.arrayValue?.count else {
                throw reader.problem("\"\(key)\" is not a list of numbers")
            }
            return list
        }
        let theta = try number(entry["rope_theta"], "rope_theta") ?? defaultTheta
        let partial = try number(entry["partial_rotary_factor"], "partial_rotary_factor") ?? defaultPartial
        guard theta > 0, partial > 0, partial <= 1 else {
            throw reader.problem("rope_theta \(theta) must be positive and partial_rotary_factor \(partial) in (0, 1]")
        }
        let original =
            try reader.optionalNumber("original_max_position_embeddings")
            ?? number(entry["original_max_position_embeddings"], "original_max_position_embeddings")
        let type = entry["rope_type"]?.stringValue ?? entry["type"]?.stringValue ?? "default"
        let kind: ModelConfiguration.RopeParameters.Scaling
        switch type {
        case "default":
            kind = .none
        case "linear":
            guard let factor = try number(entry["factor"], "factor") else {
                throw reader.problem("linear rope scaling needs a \"factor\"")
            }
            kind = .linear(factor: factor)
        case "llama3":
            guard let factor = try number(entry["factor"], "factor"),
                let low = try number(entry["low_freq_factor"], "low_freq_factor"),
                let high = try number(entry["high_freq_factor"], "high_freq_factor")
            else {
                throw reader.problem(
                    "llama3 rope scaling needs \"factor\", \"low_freq_factor\" and \"high_freq_factor\"")
            }
            guard low > 0, high > low, let originalPositions = Int(exactly: original ?? Double(maxPositions)) else {
                throw reader.problem(
                    "llama3 rope scaling needs 0 < low_freq_factor < high_freq_factor and an integer original_max_position_embeddings"
                )
            }
            kind = .llama3(
                factor: factor, lowFrequencyFactor: low, highFrequencyFactor: high,
                originalMaxPositionEmbeddings: originalPositions)
        case "longrope":
            guard let short = try numbers("short_factor"), let long = try numbers("long_factor") else {
                throw reader.problem("longrope scaling needs \"short_factor\" and \"long_factor\"")
            }
            // transformers' _compute_longrope_parameters: the factor defaults to the ratio of the two context
            // lengths; the attention factor to √(1 + ln factor / ln original).
            let context = original ?? defaults.originalMaxPositions.map(Double.init) ?? Double(maxPositions)
            guard let originalPositions = Int(exactly: context), originalPositions > 1 else {
                throw reader.problem("longrope scaling needs an integer original_max_position_embeddings above 1")
            }
            let factor = try number(entry["factor"], "factor") ?? Double(maxPositions) / context
            let attention =
                try number(entry["attention_factor"], "attention_factor")
                ?? (factor <= 1 ? 1 : (1 + Foundation.log(factor) / Foundation.log(context)).squareRoot())
            kind = .longrope(
                shortFactors: short, longFactors: long, attentionFactor: attention,
                originalMaxPositionEmbeddings: originalPositions)
        case "yarn":
            // transformers' _compute_yarn_parameters: the factor defaults to the ratio of the two context lengths,
            // the attention factor to mscale(factor) (or mscale(factor, mscale) / mscale(factor, mscale_all_dim)),
            // beta_fast and beta_slow to 32 and 1 (also when 0), truncate to true.
            let context = original ?? Double(maxPositions)
            guard context > 0 else {
                throw reader.problem("yarn rope scaling needs a positive original_max_position_embeddings")
            }
            let factor = try number(entry["factor"], "factor") ?? Double(maxPositions) / context
            func mscale(_ scale: Double, _ m: Double = 1) -> Double {
                scale <= 1 ? 1 : 0.1 * m * Foundation.log(scale) + 1
            }
            var attention = try number(entry["attention_factor"], "attention_factor")
            if attention == nil {
                let m = try number(entry["mscale"], "mscale") ?? 0
                let all = try number(entry["mscale_all_dim"], "mscale_all_dim") ?? 0
                attention = m != 0 && all != 0 ? mscale(factor, m) / mscale(factor, all) : mscale(factor)
            }
            let fast = try number(entry["beta_fast"], "beta_fast") ?? 0
            let slow = try number(entry["beta_slow"], "beta_slow") ?? 0
            guard factor > 0 else { throw reader.problem("yarn rope scaling needs a positive \"factor\"") }
            kind = .yarn(
                factor: factor, betaFast: fast == 0 ? 32 : fast, betaSlow: slow == 0 ? 1 : slow,
                originalMaxPositionEmbeddings: context, truncate: entry["truncate"]?.boolValue ?? true,
                attentionFactor: attention ?? 1)
        default:
            kind = .unsupported(type: String(type.prefix(DriftError.quoteLimit)))
        }
        return ModelConfiguration.RopeParameters(theta: theta, scaling: kind, partialRotaryFactor: partial)
    }
}
