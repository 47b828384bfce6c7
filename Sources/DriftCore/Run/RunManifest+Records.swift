extension RunManifest {
    /// What the last `compare` did (`last_run`); fields added to it after version 1 began are optional.
    public struct LastRun: Codable, Sendable, Equatable {
        /// The command (`compare`).
        public var command: String
        /// The variants extracted (noise paraphrases as `<variant>/t<i>`).
        public var extracted: [String]
        /// The variants reused from an earlier extraction.
        public var reused: [String]
        /// The paraphrased templates of the noise floor (nil in records written before noise floors).
        public var noiseTemplates: [String]?
        /// The extraction settings (nil in records written before they were recorded).
        public var settings: Settings?
        /// Variant → the model as given (nil in records written before they were recorded).
        public var models: [String: String]?
        /// Seconds spent extracting.
        public var extractionSeconds: Double?
        /// When the extraction finished (ISO 8601, UTC).
        public var finishedAt: String?
        /// How the variants' loading and extraction were scheduled, with their timeline (nil in records written
        /// before variants were pipelined).
        public var pipeline: Pipeline?

        /// How `compare` scheduled the variants: the next variant's model loads while the current one extracts when
        /// the memory budget holds both; each phase as seconds from the start of the extraction.
        public struct Pipeline: Codable, Sendable, Equatable {
            /// Whether a variant could load while another extracted.
            public var overlapped: Bool
            /// Why the variants ran one after another (nil when overlapped).
            public var note: String?
            /// Seconds during which a variant loaded while another extracted.
            public var overlapSeconds: Double
            /// Every phase, in the order it started.
            public var phases: [Phase]

            /// One variant's loading or extraction.
            public struct Phase: Codable, Sendable, Equatable {
                /// The variant.
                public var variant: String
                /// `load` or `extract`.
                public var phase: String
                /// Seconds from the start of the extraction to the start of the phase.
                public var start: Double
                /// Seconds from the start of the extraction to the end of the phase.
                public var end: Double

                /// Creates a phase.
                public init(variant: String, phase: String, start: Double, end: Double) {
                    self.variant = variant
                    self.phase = phase
                    self.start = start
                    self.end = end
                }
            }

            /// Creates a record.
            public init(overlapped: Bool, note: String?, overlapSeconds: Double, phases: [Phase]) {
                self.overlapped = overlapped
                self.note = note
                self.overlapSeconds = overlapSeconds
                self.phases = phases
            }

            enum CodingKeys: String, CodingKey {
                case overlapped, note, phases
                case overlapSeconds = "overlap_seconds"
            }
        }

        /// The extraction settings of a `compare`.
        public struct Settings: Codable, Sendable, Equatable {
            /// The prompt template.
            public var template: String
            /// The pooling.
            public var pooling: String
            /// The layer selection as given.
            public var layers: String
            /// Whether special tokens were added.
            public var addSpecialTokens: Bool
            /// Whether prompts shared their common prefix in a batch.
            public var sharesPromptPrefix: Bool?

            /// Creates settings.
            public init(
                template: String, pooling: String, layers: String, addSpecialTokens: Bool, sharesPromptPrefix: Bool?
            ) {
                self.template = template
                self.pooling = pooling
                self.layers = layers
                self.addSpecialTokens = addSpecialTokens
                self.sharesPromptPrefix = sharesPromptPrefix
            }

            enum CodingKeys: String, CodingKey {
                case template, pooling, layers
                case addSpecialTokens = "add_special_tokens", sharesPromptPrefix = "shares_prompt_prefix"
            }
        }

        /// Creates a record.
        public init(
            command: String, extracted: [String], reused: [String], noiseTemplates: [String]?, settings: Settings?,
            models: [String: String]?, extractionSeconds: Double?, finishedAt: String?, pipeline: Pipeline? = nil
        ) {
            self.command = command
            self.extracted = extracted
            self.reused = reused
            self.noiseTemplates = noiseTemplates
            self.settings = settings
            self.models = models
            self.extractionSeconds = extractionSeconds
            self.finishedAt = finishedAt
            self.pipeline = pipeline
        }

        enum CodingKeys: String, CodingKey {
            case command, extracted, reused, settings, models
            case noiseTemplates = "noise_templates", extractionSeconds = "extraction_seconds"
            case finishedAt = "finished_at", pipeline
        }
    }

    /// What the last analysis wrote (`analysis`).
    public struct Analysis: Codable, Sendable, Equatable {
        /// The variants analysed, in order.
        public var variants: [String]
        /// The layers analysed.
        public var layers: [Int]
        /// The headline layer.
        public var headlineLayer: Int
        /// The analysis settings (nil in a manifest written without them).
        public var settings: Settings?
        /// The tables written.
        public var tables: [String]
        /// The UMAP files written.
        public var umap: [String]
        /// Seconds per step (`load`, `pairs`, `umap`); nil for a non-finite value.
        public var seconds: [String: Double?]
        /// Things the reader should know.
        public var notes: [String]
        /// The tool's version.
        public var toolVersion: String
        /// When the analysis was written (ISO 8601, UTC).
        public var createdAt: String

        /// The analysis settings.
        public struct Settings: Codable, Sendable, Equatable {
            /// Neighbours per concept.
            public var k: Int
            /// Bootstrap resamples.
            public var bootstrap: Int
            /// Permutations per test.
            public var permutations: Int
            /// Interval coverage.
            public var confidence: Double
            /// Significance level.
            public var alpha: Double
            /// The seed.
            public var seed: UInt64
            /// Whether UMAP was fitted.
            public var umap: Bool
            /// UMAP epochs (nil: the default; written as `null`).
            public var umapEpochs: Int?
            /// Whether the variants are a checkpoint series.
            public var series: Bool

            /// Creates settings.
            public init(
                k: Int, bootstrap: Int, permutations: Int, confidence: Double, alpha: Double, seed: UInt64,
                umap: Bool, umapEpochs: Int?, series: Bool
            ) {
                self.k = k
                self.bootstrap = bootstrap
                self.permutations = permutations
                self.confidence = confidence
                self.alpha = alpha
                self.seed = seed
                self.umap = umap
                self.umapEpochs = umapEpochs
                self.series = series
            }

            enum CodingKeys: String, CodingKey {
                case k, bootstrap, permutations, confidence, alpha, seed, umap, series
                case umapEpochs = "umap_epochs"
            }

            /// Decodes settings; `series` is false when absent.
            public init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                k = try c.decode(Int.self, forKey: .k)
                bootstrap = try c.decode(Int.self, forKey: .bootstrap)
                permutations = try c.decode(Int.self, forKey: .permutations)
                confidence = try c.decode(Double.self, forKey: .confidence)
                alpha = try c.decode(Double.self, forKey: .alpha)
                seed = try c.decode(UInt64.self, forKey: .seed)
                umap = try c.decode(Bool.self, forKey: .umap)
                umapEpochs = try c.decodeIfPresent(Int.self, forKey: .umapEpochs)
                series = try c.decodeIfPresent(Bool.self, forKey: .series) ?? false
            }

            /// Encodes settings, `umap_epochs` as `null` when nil.
            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(k, forKey: .k)
                try c.encode(bootstrap, forKey: .bootstrap)
                try c.encode(permutations, forKey: .permutations)
                try c.encode(confidence, forKey: .confidence)
                try c.encode(alpha, forKey: .alpha)
                try c.encode(seed, forKey: .seed)
                try c.encode(umap, forKey: .umap)
                try c.encode(umapEpochs, forKey: .umapEpochs)
                try c.encode(series, forKey: .series)
            }
        }

        /// Creates a record.
        public init(
            variants: [String], layers: [Int], headlineLayer: Int, settings: Settings?, tables: [String],
            umap: [String], seconds: [String: Double?], notes: [String], toolVersion: String, createdAt: String
        ) {
            self.variants = variants
            self.layers = layers
            self.headlineLayer = headlineLayer
            self.settings = settings
            self.tables = tables
            self.umap = umap
            self.seconds = seconds
            self.notes = notes
            self.toolVersion = toolVersion
            self.createdAt = createdAt
        }

        enum CodingKeys: String, CodingKey {
            case variants, layers, settings, tables, umap, seconds, notes
            case headlineLayer = "headline_layer", toolVersion = "tool_version", createdAt = "created_at"
        }

        /// Decodes a record; only `headline_layer` is required (lists default to empty, texts to "").
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            headlineLayer = try c.decode(Int.self, forKey: .headlineLayer)
            variants = try c.decodeIfPresent([String].self, forKey: .variants) ?? []
            layers = try c.decodeIfPresent([Int].self, forKey: .layers) ?? []
            settings = try c.decodeIfPresent(Settings.self, forKey: .settings)
            tables = try c.decodeIfPresent([String].self, forKey: .tables) ?? []
            umap = try c.decodeIfPresent([String].self, forKey: .umap) ?? []
            seconds = try c.decodeIfPresent([String: Double?].self, forKey: .seconds) ?? [:]
            notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
            toolVersion = try c.decodeIfPresent(String.self, forKey: .toolVersion) ?? ""
            createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        }
    }

    /// Which shard of which batch plan a shard directory holds (`shard`).
    public struct ShardRecord: Codable, Sendable, Equatable {
        /// The shard's index, from 0.
        public var index: Int
        /// The number of shards.
        public var count: Int
        /// The batch size in tokens.
        public var maxBatchTokens: Int
        /// Whether prompts shared their common prefix (nil in records from before prefix sharing: false).
        public var sharesPromptPrefix: Bool?
        /// The whole vocabulary's name.
        public var vocabulary: String
        /// The whole vocabulary's content hash.
        public var vocabularySha256: String
        /// The whole vocabulary's size.
        public var conceptCount: Int
        /// Variant → what this shard holds of it.
        public var variants: [String: Variant]

        /// What a shard holds of one variant.
        public struct Variant: Codable, Sendable, Equatable {
            /// The fingerprint over the whole vocabulary.
            public var fingerprint: String
            /// The concept rows of the whole vocabulary the shard holds.
            public var rows: [Int]
            /// The model files' hash.
            public var modelFilesSha256: String?
            /// The tool's version.
            public var toolVersion: String?
            /// The quantization applied on load, if any.
            public var scheme: String?
            /// The compute precision when not `f32`.
            public var compute: String?

            /// Creates an entry.
            public init(
                fingerprint: String, rows: [Int], modelFilesSha256: String?, toolVersion: String?, scheme: String?,
                compute: String?
            ) {
                self.fingerprint = fingerprint
                self.rows = rows
                self.modelFilesSha256 = modelFilesSha256
                self.toolVersion = toolVersion
                self.scheme = scheme
                self.compute = compute
            }

            enum CodingKeys: String, CodingKey {
                case fingerprint, rows, scheme, compute
                case modelFilesSha256 = "model_files_sha256", toolVersion = "tool_version"
            }
        }

        /// Creates a record.
        public init(
            index: Int, count: Int, maxBatchTokens: Int, sharesPromptPrefix: Bool?, vocabulary: String,
            vocabularySha256: String, conceptCount: Int, variants: [String: Variant]
        ) {
            self.index = index
            self.count = count
            self.maxBatchTokens = maxBatchTokens
            self.sharesPromptPrefix = sharesPromptPrefix
            self.vocabulary = vocabulary
            self.vocabularySha256 = vocabularySha256
            self.conceptCount = conceptCount
            self.variants = variants
        }

        enum CodingKeys: String, CodingKey {
            case index, count, vocabulary, variants
            case maxBatchTokens = "max_batch_tokens", sharesPromptPrefix = "shares_prompt_prefix"
            case vocabularySha256 = "vocabulary_sha256", conceptCount = "concept_count"
        }
    }

    /// The shards a run was joined from (`merged`).
    public struct MergeRecord: Codable, Sendable, Equatable {
        /// The number of shards.
        public var shards: Int
        /// The shard directories, in shard order.
        public var from: [String]

        /// Creates a record.
        public init(shards: Int, from: [String]) {
            self.shards = shards
            self.from = from
        }
    }

    /// The experiment file a run was made from (`experiment`).
    public struct ExperimentRecord: Codable, Sendable, Equatable {
        /// The experiment file.
        public var file: String
        /// The equivalent `compare` command line.
        public var command: String

        /// Creates a record.
        public init(file: String, command: String) {
            self.file = file
            self.command = command
        }
    }
}
