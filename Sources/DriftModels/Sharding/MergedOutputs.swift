import DriftCore
import Foundation

/// What one variant's shards read through the LM head — next-token logits, next tokens, logit lens — joined into the
/// whole vocabulary's row order, as the unsharded extraction writes them.
///
/// Every shard that holds concepts of the variant must have kept the same outputs: a shard with logits beside one
/// without is refused, naming the shard's folder.
struct MergedOutputs {
    /// The variant.
    let variant: String
    /// The whole vocabulary.
    let vocabulary: Vocabulary
    /// Each term's row in ``vocabulary``.
    private let rowOfTerm: [String: Int]
    /// The first shard folder read, and whether it had logits and a logit lens.
    private var first: (folder: URL, logits: Bool, lens: Bool)?
    /// The logits, concepts × ``columns`` float32 bytes, once the first shard's are read.
    private var logits: Data?
    private var columns = 0
    /// Each concept's next-token rows (rank order), by vocabulary row.
    private var nextTokens: [[LogitLensRow]]
    /// The logit lens rows with their vocabulary rows.
    private var lens: [(concept: Int, row: LogitLensRow)] = []

    init(variant: String, vocabulary: Vocabulary) {
        self.variant = variant
        self.vocabulary = vocabulary
        rowOfTerm = Dictionary(uniqueKeysWithValues: vocabulary.terms.enumerated().map { ($1, $0) })
        nextTokens = Array(repeating: [], count: vocabulary.count)
    }

    /// Reads one shard's outputs: `rows` are the vocabulary rows of its concepts, `entry` its manifest entry.
    ///
    /// - Throws: ``DriftCore/DriftError`` when it kept other outputs than the shards before it, or a file is missing
    ///   or of the wrong shape.
    mutating func add(entry: RunManifest.Variant, rows: [Int], folder: URL) throws {
        let layout = RunLayout(folder)
        let hasLogits = entry.files?.logits != nil
        let hasLens = entry.files?.logitLens != nil
        if let first {
            for (what, here, there) in [
                ("next-token logits", hasLogits, first.logits), ("a logit lens", hasLens, first.lens),
            ] where here != there {
                throw DriftError(
                    .invalidArgument,
                    "the shards do not belong together: variant '\(variant)' has \(here ? "" : "no ")\(what) here but \(there ? "" : "no ")\(what) in \(first.folder.path) (extract every shard with the same --next-token/--no-next-token and --logit-lens)",
                    path: folder.path)
            }
        } else {
            first = (folder, hasLogits, hasLens)
        }
        if hasLogits {
            let array = try ShardMerger.array(layout.logits(variant))
            guard array.rank == 2, array.shape[0] == rows.count, logits == nil || array.shape[1] == columns else {
                throw DriftError(
                    .corruptFile,
                    "variant '\(variant)': logits \(array.shape) do not hold the shard's \(rows.count) concepts × \(logits == nil ? "the vocabulary" : "\(columns) tokens")",
                    path: layout.logits(variant).path)
            }
            if logits == nil {
                columns = array.shape[1]
                logits = Data(count: vocabulary.count * columns * 4)
            }
            let width = columns * 4
            logits?.withUnsafeMutableBytes { target in
                array.bytes.withUnsafeBytes { source in
                    guard let to = target.baseAddress, let from = source.baseAddress else { return }
                    for (r, row) in rows.enumerated() {
                        (to + row * width).copyMemory(from: from + r * width, byteCount: width)
                    }
                }
            }
            for row in try read(layout.nextTokens(variant)) { nextTokens[row.concept].append(row.row) }
        }
        if hasLens { lens += try read(layout.logitLens(variant)) }
    }

    /// The rows of a shard's table with the vocabulary row of each.
    private func read(_ url: URL) throws -> [(concept: Int, row: LogitLensRow)] {
        try TableFile.readCSV(LogitLensRow.self, at: url).map { row in
            guard let concept = rowOfTerm[row.term] else {
                throw DriftError(
                    .corruptFile, "the term \(DriftError.quote(row.term)) is not in the vocabulary", path: url.path)
            }
            return (concept, row)
        }
    }

    /// Names the merged files in the variant's manifest entry (``RunManifest/Files``), as the unsharded extraction
    /// names them.
    func record(in entry: inout RunManifest.Variant) {
        var files = entry.files ?? RunManifest.Files(variant: variant)
        files.logits = logits == nil ? nil : RunLayout.logitsFileName(variant)
        files.nextTokens = logits == nil ? nil : RunLayout.nextTokensFileName(variant)
        files.logitLens = first?.lens == true ? RunLayout.logitLensFileName(variant) : nil
        entry.files = files
    }

    /// The merged files (none when the shards kept no outputs).
    func files() throws -> [(String, Data)] {
        var files: [(String, Data)] = []
        if let logits {
            files.append(
                (
                    RunLayout.logitsFileName(variant),
                    try NumpyArray(
                        shape: [vocabulary.count, columns], elementType: .float32, littleEndianBytes: logits
                    )
                    .npyData()
                ))
            files.append(
                (RunLayout.nextTokensFileName(variant), Data(TableEncoding.csv(nextTokens.flatMap { $0 }).utf8)))
        }
        if first?.lens == true {
            // The unsharded order: layer, concept, rank.
            let rows = lens.sorted { ($0.row.layer, $0.concept, $0.row.rank) < ($1.row.layer, $1.concept, $1.row.rank) }
            files.append((RunLayout.logitLensFileName(variant), Data(TableEncoding.csv(rows.map(\.row)).utf8)))
        }
        return files
    }
}
