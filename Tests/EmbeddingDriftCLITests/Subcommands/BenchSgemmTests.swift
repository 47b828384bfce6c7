import ArgumentParser
import DriftCore
import Foundation
import TestSupport
import Testing

@testable import EmbeddingDriftCLI

@Suite struct BenchSgemmTests {
    @Test func parsesListsAndRejectsBadFlags() throws {
        let command = try BenchSgemm.parse([
            "--sizes", "8, 16", "--shapes", "4x8x2", "--threads", "1,all,1", "--runs", "2",
        ])
        #expect(command.runs == 2)
        #expect(throws: (any Error).self) { try BenchSgemm.parse(["--runs", "0"]) }
        #expect(throws: (any Error).self) { try BenchSgemm.parse(["--sizes", "0"]) }
        #expect(throws: (any Error).self) { try BenchSgemm.parse(["--shapes", "4x8"]) }
        #expect(throws: (any Error).self) { try BenchSgemm.parse(["--threads", "none"]) }
        #expect(throws: (any Error).self) { try BenchSgemm.parse(["--sizes", "", "--shapes", ""]) }
    }

    /// Measures on the current BLAS thread count only.
    ///
    /// Tests run in parallel in one process, and changing OpenBLAS's thread count under another test's product is
    /// not safe; the subprocess test below covers several thread counts.
    @Test func measuresEveryShapeAndReportsGflops() throws {
        let shapes =
            SgemmBenchmark.squareShapes([16, 32]) + [
                SgemmBenchmark.Shape(m: 8, k: 24, n: 4, transposeB: true, label: "custom")
            ]
        let threads = BLAS.threadCount
        var calls: [Int] = []
        let report = SgemmBenchmark.run(shapes: shapes, threadCounts: [threads], runs: 2) { done, total in
            #expect(total == 3)
            calls.append(done)
        }
        #expect(BLAS.threadCount == threads)
        #expect(calls == [1, 2, 3])
        #expect(report.results.map(\.shape) == shapes)
        for result in report.results {
            #expect(result.threads == threads && result.runs == 2)
            #expect(result.bestSeconds > 0)
            #expect(abs(result.gflops - result.shape.flops / result.bestSeconds / 1e9) < 1e-9 * result.gflops)
        }
        #expect(SgemmBenchmark.Shape(m: 2, k: 3, n: 5, transposeB: false, label: "").flops == 60)
        let decoded = try JSONDecoder().decode(SgemmBenchmark.Report.self, from: BenchSgemm.encode(report))
        #expect(decoded == report)
        let notes = (report.loadAverage ?? 0) > Double(report.processors) ? 1 : 0  // the load note
        #expect(BenchSgemm.table(report).split(separator: "\n").count == 2 + 3 + 1 + notes)
    }

    @Test func peaksAreTheBestResultPerThreadCount() {
        let small = SgemmBenchmark.Shape(m: 4, k: 4, n: 4, transposeB: false, label: "square")
        let large = SgemmBenchmark.Shape(m: 8, k: 8, n: 8, transposeB: true, label: "ff")
        func result(_ shape: SgemmBenchmark.Shape, _ threads: Int, _ gflops: Double) -> SgemmBenchmark.Result {
            SgemmBenchmark.Result(
                shape: shape, threads: threads, runs: 1, bestSeconds: shape.flops / gflops / 1e9, gflops: gflops)
        }
        let report = SgemmBenchmark.report([
            result(small, 2, 150), result(small, 1, 80), result(large, 1, 90), result(large, 2, 140),
        ])
        #expect(report.peaks.map(\.threads) == [1, 2])
        #expect(report.peaks.map(\.gflops) == [90, 150])
        #expect(report.peaks.map(\.shape) == [large, small])
        #expect(report.peakGflops == 150)
        #expect(SgemmBenchmark.report([]).peakGflops == 0)
    }

    @Test func commandPrintsJSONAndReportsErrorsOnOneLine() throws {
        let ok = try ExecutableRunner.run(["bench", "sgemm", "--sizes", "8", "--shapes", "", "--runs", "1", "--json"])
        #expect(ok.status == 0)
        let report = try JSONDecoder().decode(SgemmBenchmark.Report.self, from: Data(ok.stdout.utf8))
        #expect(
            report.results.map(\.threads) == Array(Set([1, ProcessInfo.processInfo.activeProcessorCount])).sorted())
        #expect(ok.stderr.isEmpty)  // progress is not drawn into a pipe

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drift-cli-\(UUID().uuidString)")
        try "".write(to: folder, atomically: true, encoding: .utf8)  // a file where a folder is needed
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("sgemm.json").path
        let failed = try ExecutableRunner.run([
            "bench", "sgemm", "--sizes", "8", "--shapes", "", "--runs", "1", "--output", target,
        ])
        #expect(failed.status == 1)
        let lines = failed.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "\(failed.stderr)")
        #expect(lines[0].hasPrefix("error: \(target): "))

        let help = try ExecutableRunner.run(["bench", "sgemm", "--help"])
        #expect(help.status == 0 && help.stdout.contains("OVERVIEW:") && help.stderr.isEmpty)

        let usage = try ExecutableRunner.run(["bench", "sgemm", "--runs", "0"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("--runs must be at least 1"))
        #expect(usage.stderr.contains("Usage: embedding-drift bench sgemm"))
    }
}
