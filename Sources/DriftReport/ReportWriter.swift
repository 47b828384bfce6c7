import DriftCore
public import Foundation

/// Writes a report into a run directory: `report.html` and `figures/<id>.svg`, each file atomically.
public enum ReportWriter {
    /// What was written.
    public struct Output: Sendable {
        /// The page.
        public var page: URL
        /// Its size in bytes.
        public var pageBytes: Int
        /// The SVG files, in page order.
        public var figures: [URL]
        /// Why figures were left out.
        public var notes: [String]
    }

    /// Writes `report` into `directory`; `progress` hears one line per step.
    /// - Throws: ``DriftError`` when a file cannot be written.
    @discardableResult
    public static func write(
        _ report: Report, to directory: URL, toolVersion: String = "", progress: (String) -> Void = { _ in }
    ) throws -> Output {
        let figuresDirectory = RunLayout(directory).figures
        do {
            try FileManager.default.createDirectory(at: figuresDirectory, withIntermediateDirectories: true)
        } catch {
            throw DriftError(
                .io, "cannot create the figures directory: \(error.localizedDescription)", path: figuresDirectory.path)
        }
        ScratchFile.removeAbandoned(in: directory)
        ScratchFile.removeAbandoned(in: figuresDirectory)
        progress("drawing figures")
        let (_, notes) = report.runFigures()
        var written: [URL] = []
        for figure in report.allFigures() {
            let file = figuresDirectory.appendingPathComponent(figure.id + ".svg")
            try AtomicFile.write(Data(figure.svg.fileContents.utf8), to: file)
            written.append(file)
        }
        removeStaleFigures(in: figuresDirectory, keeping: Set(written.map(\.lastPathComponent)))
        progress("writing \(RunLayout.reportFileName)")
        let html = Data(ReportPage.html(report, toolVersion: toolVersion).utf8)
        let page = RunLayout(directory).report
        try AtomicFile.write(html, to: page)
        try recordInSummary(directory: directory, pageBytes: html.count, figures: written.count)
        return Output(page: page, pageBytes: html.count, figures: written, notes: report.data.notes + notes)
    }

    /// Deletes figures an earlier report wrote that this one no longer draws (a pair or layer that is gone), so the
    /// folder always matches the page.
    ///
    /// Only `.svg` files are touched.
    static func removeStaleFigures(in folder: URL, keeping current: Set<String>) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasSuffix(".svg") && !current.contains(name) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// Adds `report` (`html`, `html_bytes`, `figures`) to the run's `summary.json` when there is one, keeping every
    /// other key; rewritten atomically.
    static func recordInSummary(directory: URL, pageBytes: Int, figures: Int) throws {
        let file = RunLayout(directory).summaryJSON
        guard FileManager.default.fileExists(atPath: file.path),
            let data = try? Data(contentsOf: file),
            var summary = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return }
        summary["report"] =
            ["html": RunLayout.reportFileName, "html_bytes": pageBytes, "figures": figures] as [String: Any]
        try AtomicFile.write(try PrettyJSON.data(summary, path: file.path), to: file)
    }
}
