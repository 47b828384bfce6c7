import ArgumentParser

/// `embedding-drift bench`: the speed of this machine and of the tool's parts.
///
/// Each benchmark is a subcommand in its own file (`BenchSgemm.swift`, …); add yours to `benchmarks`.
struct Bench: ParsableCommand {
    /// The benchmarks, in the order `--help` lists them.
    static let benchmarks: [any ParsableCommand.Type] = [
        BenchSgemm.self,
        BenchBF16GEMM.self,
        BenchTokenizer.self,
        BenchExtract.self,
        BenchKNN.self,
        BenchLoad.self,
    ]

    static let configuration = CommandConfiguration(
        abstract: "Measure how fast this machine runs the tool's building blocks.",
        discussion: """
            Benchmarks print a table on stdout (or JSON with --json) and progress on stderr. Run them on a \
            release build (swift build -c release, or Benchmarks/bench.sh), never on a debug build.
            """,
        subcommands: benchmarks
    )
}
