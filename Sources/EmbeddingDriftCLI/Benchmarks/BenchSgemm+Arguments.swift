import ArgumentParser
import Foundation

/// The parsers of `--shapes` and `--threads`, shared by `bench sgemm` and `bench bf16gemm`.
extension BenchSgemm {
    /// `--shapes`: `default` (the given set), or comma-separated `M×K×N` (also `MxKxN`), each labelled `custom`.
    ///
    /// - Throws: `ValidationError` for a malformed shape or one whose operands exceed 4 GiB.
    static func shapes(_ text: String, defaults: [SgemmBenchmark.Shape]) throws -> [SgemmBenchmark.Shape] {
        if text == "default" { return defaults }
        return try list(text).map { item in
            let parts = item.lowercased().split(whereSeparator: { $0 == "x" || $0 == "×" }).compactMap { Int($0) }
            guard parts.count == 3, parts.allSatisfy({ $0 > 0 && $0 <= 65536 }),
                parts[0] * parts[1] + parts[1] * parts[2] + parts[0] * parts[2] <= 1 << 30
            else {
                throw ValidationError(
                    "--shapes: '\(item)' is not M×K×N with positive sizes (at most 4 GiB of operands)")
            }
            return SgemmBenchmark.Shape(m: parts[0], k: parts[1], n: parts[2], transposeB: true, label: "custom")
        }
    }

    /// `--threads`: comma-separated counts or `all` (every processor), duplicates dropped.
    ///
    /// - Throws: `ValidationError` for anything else, or an empty list.
    static func threadCounts(_ text: String) throws -> [Int] {
        let all = ProcessInfo.processInfo.activeProcessorCount
        var counts: [Int] = []
        for item in list(text) {
            let count = item == "all" ? all : Int(item)
            guard let count, count >= 1, count <= 1024 else {
                throw ValidationError("--threads: '\(item)' is not a thread count or 'all'")
            }
            if !counts.contains(count) { counts.append(count) }
        }
        guard !counts.isEmpty else { throw ValidationError("--threads needs at least one thread count") }
        return counts
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
