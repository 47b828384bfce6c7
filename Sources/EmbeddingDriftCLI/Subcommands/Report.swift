import ArgumentParser
import DriftCore
import DriftReport
import Foundation

/// `embedding-drift report <dir>`: the run's report page and figures.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write <dir>/report.html and <dir>/figures/*.svg from an analysed run directory.",
        discussion: """
            Reads the run's manifest.json, concept_metadata.json, tables/*.json and umap_<variant>.npy and writes one \
            self-contained page (inline SVG, CSS and a small script; opens from disk, prints cleanly) and every \
            figure as a standalone SVG for papers. A missing table or UMAP leaves its figures out with a note on \
            the page. With --png, each SVG is also converted with rsvg-convert (apt-get install librsvg2-bin).
            """
    )

    @Argument(help: "A run directory written by `compare`, `import` or `analyze`.")
    var directory: String

    @Option(help: "Concepts in each top-N chart.")
    var top: Int = 30

    @Flag(help: "Also write figures/*.png with rsvg-convert.")
    var png = false

    @Flag(help: "No progress lines.")
    var quiet = false

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: directory)
        let output = try Self.write(url, top: top, progress: { if !quiet { StandardError.write("report: \($0)\n") } })
        if png { try Self.convertToPNG(output.figures) }
        print(
            "\(output.page.path) (\(output.pageBytes) bytes), \(output.figures.count) figures in \(RunLayout(url).figures.path)"
        )
        for note in output.notes where !quiet { StandardError.write("note: \(note)\n") }
    }

    /// Reads the run directory at `url` and writes its report: the one call `compare`, `analyze` and `import` need
    /// as their last step.
    @discardableResult
    static func write(_ url: URL, top: Int = 30, progress: (String) -> Void = { _ in }) throws -> ReportWriter.Output {
        let data = try ReportData(runDirectory: url)
        return try ReportWriter.write(
            Report(data: data, topCount: top), to: url, toolVersion: ToolVersion.current, progress: progress)
    }

    /// Converts every SVG to a PNG beside it with `rsvg-convert`.
    static func convertToPNG(_ figures: [URL]) throws {
        let candidates = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert", "/opt/homebrew/bin/rsvg-convert"]
        guard let tool = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw DriftError(
                .missing,
                "--png needs rsvg-convert: install it with `apt-get install librsvg2-bin` (Debian/Ubuntu) "
                    + "or `brew install librsvg` (macOS)")
        }
        for svg in figures {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = [
                "--zoom", "2", "-o", svg.deletingPathExtension().appendingPathExtension("png").path, svg.path,
            ]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw DriftError(.io, "rsvg-convert failed (status \(process.terminationStatus))", path: svg.path)
            }
        }
    }
}
