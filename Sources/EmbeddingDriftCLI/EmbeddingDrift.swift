import ArgumentParser

@main
struct EmbeddingDrift: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embedding-drift",
        abstract: "Measure and show how the concepts inside a language model move when the model changes.",
        version: ToolVersion.current,
        subcommands: [
            Bench.self,
            UMAPCommand.self,
        ]
    )
}
