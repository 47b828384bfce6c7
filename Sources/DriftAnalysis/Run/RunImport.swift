import DriftCore
public import Foundation

/// Builds a run directory from embeddings made elsewhere (another framework, a GPU cluster): one `.npy` per variant.
public enum RunImport {
    /// One array to import.
    public struct Source: Sendable {
        /// The variant's name.
        public var name: String
        /// The `.npy` file: concepts × hidden (stored as one layer, index 0) or layers × concepts × hidden (layers
        /// 0…L−1).
        public var file: URL

        /// Creates a source.
        public init(name: String, file: URL) {
            self.name = name
            self.file = file
        }
    }

    /// Imports `sources` into `directory` for the concepts `concepts` (rows in this order) and sets the run's
    /// variant order to the sources' order.
    ///
    /// Every array is read and checked before anything is written: float values, the concept count, all finite,
    /// equal layer counts. The directory's concept metadata (written if missing) must list the same concepts.
    /// Each variant's files are written atomically, the manifest last.
    ///
    /// - Parameters:
    ///   - concepts: (term, category) of every row.
    ///   - vocabularyName, vocabularyHash: recorded in the metadata as `extract` records them.
    ///   - covariates: the user's covariates of the concepts (the vocabulary's extra numeric columns), recorded in
    ///     the metadata for the adjusted analysis.
    /// - Throws: ``DriftError`` naming the file for a wrong shape, a non-float array, a non-finite value, or a
    ///   directory holding other concepts.
    public static func run(
        _ sources: [Source], concepts: [(term: String, category: String)], vocabularyName: String,
        vocabularyHash: String, covariates: CovariateSet = .empty, into directory: URL, toolVersion: String
    ) throws {
        try covariates.validate(count: concepts.count)
        guard !sources.isEmpty else { throw DriftError(.invalidArgument, "nothing to import") }
        let terms = concepts.map(\.term)
        // The existing directory must be readable and hold the same concepts.
        let layout = RunLayout(directory)
        let metadataFile = layout.metadata
        _ = try RunManifest.read(in: directory)
        let writeMetadata = !FileManager.default.fileExists(atPath: metadataFile.path)
        if !writeMetadata {
            let existing = try RunDirectory.readMetadata(in: directory)
            try DriftInput.validateConcepts(
                existing.concepts, terms, names: ("the run directory's concept_metadata.json", "--vocab"),
                path: metadataFile.path)
        }
        struct Prepared {
            var name: String
            var layers: Int
            var hidden: Int
            var values: [Float]
            var sha: String
        }
        var prepared: [Prepared] = []
        for source in sources {
            let data: Data
            do {
                data = try Data(contentsOf: source.file)
            } catch {
                throw DriftError(.io, "cannot read: \(error.localizedDescription)", path: source.file.path)
            }
            let array = try NumpyArray(npyData: data, path: source.file.path)
            guard array.elementType.isFloatingPoint else {
                throw DriftError(
                    .unsupported, "expected a float array, found \(array.elementType.rawValue)", path: source.file.path)
            }
            let shape = array.shape
            let (layers, rows, hidden): (Int, Int, Int)
            switch shape.count {
            case 2: (layers, rows, hidden) = (1, shape[0], shape[1])
            case 3: (layers, rows, hidden) = (shape[0], shape[1], shape[2])
            default:
                throw DriftError(
                    .invalidArgument,
                    "expected concepts × hidden or layers × concepts × hidden, found shape \(shape)",
                    path: source.file.path)
            }
            guard rows == concepts.count, hidden > 0, layers > 0 else {
                throw DriftError(
                    .invalidArgument,
                    "the array has \(rows) concept rows (shape \(shape)) but the vocabulary lists \(concepts.count) "
                        + "concepts; rows must be the vocabulary's concepts in its order",
                    path: source.file.path)
            }
            let values = array.floatValues()
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                let perLayer = rows * hidden
                throw DriftError(
                    .invalidArgument,
                    "value \(values[bad]) at layer \(bad / perLayer), concept \"\(terms[(bad % perLayer) / hidden])\", "
                        + "dimension \(bad % hidden); every value must be finite",
                    path: source.file.path)
            }
            var hasher = SHA256()
            hasher.update(data: data)
            prepared.append(
                Prepared(name: source.name, layers: layers, hidden: hidden, values: values, sha: hasher.hexDigest()))
        }
        if let first = prepared.first, let other = prepared.first(where: { $0.layers != first.layers }) {
            throw DriftError(
                .invalidArgument,
                "\(first.name) has \(first.layers) layers but \(other.name) has \(other.layers); import arrays with "
                    + "the same layers")
        }

        if writeMetadata {
            var metadata = ConceptMetadata(
                rows: concepts.enumerated().map { i, concept in
                    ConceptMetadata.Row(
                        term: concept.term, category: concept.category,
                        covariates: covariates.isEmpty
                            ? nil
                            : Dictionary(
                                zip(covariates.names, covariates.values.map { $0[i] }), uniquingKeysWith: { a, _ in a })
                    )
                },
                vocabulary: vocabularyName, vocabularySha256: vocabularyHash, template: nil)
            metadata.covariateNames = covariates.names
            try metadata.write(in: directory)
        }
        var entries: [RunManifest.Variant] = []
        for variant in prepared {
            let size = concepts.count * variant.hidden
            var last = Matrix(
                rows: concepts.count, columns: variant.hidden,
                storage: Array(variant.values[((variant.layers - 1) * size)...]))
            normalizeRows(&last)
            try AtomicFile.write(
                try NumpyArray(floats: variant.values, shape: [variant.layers, concepts.count, variant.hidden])
                    .npyData(),
                to: layout.hidden(variant.name))
            try AtomicFile.write(NumpyArray(matrix: last).npyData(), to: layout.embeddings(variant.name))
            var entry = RunManifest.Variant(
                name: variant.name, layers: Array(0..<variant.layers), hiddenSize: variant.hidden,
                conceptCount: concepts.count)
            entry.source = "import"
            entry.model = sources.first { $0.name == variant.name }?.file.standardizedFileURL.path ?? ""
            entry.fingerprint = "import-" + variant.sha
            entry.fileSha256 = variant.sha
            entry.files = RunManifest.Files(variant: variant.name)
            entry.toolVersion = toolVersion
            entry.createdAt = RunManifest.timestamp()
            entries.append(entry)
        }
        try RunManifest.update(in: directory) { manifest in
            for entry in entries { manifest.upsert(entry) }
            manifest.variantOrder = prepared.map(\.name)
            manifest.toolVersion = toolVersion
            manifest.updatedAt = RunManifest.timestamp()
        }
    }

    /// Scales every row to unit L2 norm (zero rows stay zero), as `embeddings_<name>.npy` is stored.
    static func normalizeRows(_ matrix: inout Matrix) {
        let columns = matrix.columns
        for row in 0..<matrix.rows {
            var sum = 0.0
            for c in 0..<columns {
                sum += Double(matrix.storage[row * columns + c]) * Double(matrix.storage[row * columns + c])
            }
            guard sum > 0 else { continue }
            let norm = Float(sum.squareRoot())
            for c in 0..<columns { matrix.storage[row * columns + c] /= norm }
        }
    }
}
