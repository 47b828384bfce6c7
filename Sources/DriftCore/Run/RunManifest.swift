/// A run directory's `manifest.json`, typed: what was extracted (one ``Variant`` per variant), in which order, by
/// which `compare`, and what the analysis wrote.
///
/// Read and written only through ``read(in:)``, ``write(in:)`` and ``update(in:_:)``, which check the format and its
/// version and migrate manifests of older versions.
public struct RunManifest: Codable, Sendable, Equatable {
    /// The value of the manifest's `format` key.
    public static let format = "embedding-drift-run"
    /// The manifest format version this tool writes, and the newest it reads.
    public static let version = 1

    /// The format identifier (``format``).
    public var format: String
    /// The format version (``version`` once read: older versions are migrated).
    public var formatVersion: Int
    /// The version of the tool that last wrote the manifest.
    public var toolVersion: String?
    /// When an extraction or import last changed the manifest (ISO 8601, UTC).
    public var updatedAt: String?
    /// One entry per extracted or imported variant, in the order they were first written.
    public var variants: [Variant]
    /// The run's variants in time order (nil: every variant in manifest order).
    public var variantOrder: [String]?
    /// What the last `compare` extracted and reused.
    public var lastRun: LastRun?
    /// What the last analysis wrote.
    public var analysis: Analysis?
    /// In a shard directory: which shard of which batch plan it holds.
    public var shard: ShardRecord?
    /// In a run joined from shards: the shards joined.
    public var merged: MergeRecord?
    /// In a run made by `run experiment.yaml`: the experiment file and its equivalent command.
    public var experiment: ExperimentRecord?
    /// Top-level keys this tool does not know (another tool's), kept as they are when the manifest is rewritten.
    public var otherKeys: [String: RunJSONValue] = [:]

    /// An empty manifest of the current format and version.
    public init() {
        format = Self.format
        formatVersion = Self.version
        variants = []
    }

    /// The entry of variant `name`, if any.
    public func variant(_ name: String) -> Variant? { variants.first { $0.name == name } }

    /// Replaces the entry of the same name as `entry`, or appends it.
    public mutating func upsert(_ entry: Variant) {
        if let index = variants.firstIndex(where: { $0.name == entry.name }) {
            variants[index] = entry
        } else {
            variants.append(entry)
        }
    }

    /// The run's variants in time order: ``variantOrder``, else every variant in manifest order.
    public var order: [String] { variantOrder ?? variants.map(\.name) }

    enum CodingKeys: String, CodingKey {
        case format, variants, analysis, shard, merged, experiment
        case formatVersion = "format_version", toolVersion = "tool_version", updatedAt = "updated_at"
        case variantOrder = "variant_order", lastRun = "last_run"
    }

    /// Decodes a manifest (of the current version: ``read(in:)`` migrates older ones first).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        toolVersion = try container.decodeIfPresent(String.self, forKey: .toolVersion)
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt)
        variants = try container.decodeIfPresent([Variant].self, forKey: .variants) ?? []
        variantOrder = try container.decodeIfPresent([String].self, forKey: .variantOrder)
        lastRun = try container.decodeIfPresent(LastRun.self, forKey: .lastRun)
        analysis = try container.decodeIfPresent(Analysis.self, forKey: .analysis)
        shard = try container.decodeIfPresent(ShardRecord.self, forKey: .shard)
        merged = try container.decodeIfPresent(MergeRecord.self, forKey: .merged)
        experiment = try container.decodeIfPresent(ExperimentRecord.self, forKey: .experiment)
        let all = try decoder.container(keyedBy: OtherKey.self)
        for key in all.allKeys where CodingKeys(stringValue: key.stringValue) == nil {
            otherKeys[key.stringValue] = try all.decode(RunJSONValue.self, forKey: key)
        }
    }

    /// Encodes the manifest; `variants` is left out while there is none (a shard directory's top manifest).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(formatVersion, forKey: .formatVersion)
        try container.encodeIfPresent(toolVersion, forKey: .toolVersion)
        try container.encodeIfPresent(updatedAt, forKey: .updatedAt)
        if !variants.isEmpty { try container.encode(variants, forKey: .variants) }
        try container.encodeIfPresent(variantOrder, forKey: .variantOrder)
        try container.encodeIfPresent(lastRun, forKey: .lastRun)
        try container.encodeIfPresent(analysis, forKey: .analysis)
        try container.encodeIfPresent(shard, forKey: .shard)
        try container.encodeIfPresent(merged, forKey: .merged)
        try container.encodeIfPresent(experiment, forKey: .experiment)
        var others = encoder.container(keyedBy: OtherKey.self)
        for (key, value) in otherKeys where CodingKeys(stringValue: key) == nil {
            try others.encode(value, forKey: OtherKey(stringValue: key))
        }
    }

    /// Any key, for ``otherKeys``.
    struct OtherKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
