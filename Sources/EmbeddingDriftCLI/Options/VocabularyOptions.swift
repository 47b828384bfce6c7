import ArgumentParser
import DriftModels

/// `--vocab`: the concepts to embed (shared by `extract` and the commands that extract).
struct VocabularyOptions: ParsableArguments {
    @Option(
        name: .customLong("vocab"),
        help: ArgumentHelp(
            "The concepts: 'seed-235' (the reference study's 235 terms) or a file.",
            discussion: """
                A .json file shaped {"concepts": [{"term": "France", "category": "factual"}, …]}, or a text/CSV \
                file of `term,category` lines (quote a term containing a comma; `#` starts a comment line; a \
                `term,category` header is allowed; a missing category is `default`).
                """,
            valueName: "seed-235|file"))
    var vocabulary: String = "seed-235"

    /// The vocabulary named by `--vocab`.
    func load() throws -> Vocabulary {
        try Vocabulary.load(vocabulary)
    }
}
