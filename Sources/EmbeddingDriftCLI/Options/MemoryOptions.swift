import ArgumentParser
import DriftModels

/// `--max-memory`: the memory a model run may use; beyond it, blocks are streamed from disk one at a time (shared by
/// `extract` and the commands that extract).
struct MemoryOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Memory the model may use, e.g. 4G or 512M (powers of 1024; default 70% of physical memory). When the weights as held exceed it (float32; with --compute bf16 the linear weights packed in bf16, about half), layers are streamed from disk one at a time.",
            valueName: "size"))
    var maxMemory: String?

    @Flag(
        help: ArgumentHelp(
            "Stream layers from disk even when the weights fit (tests, benchmarks).", visibility: .hidden))
    var streamLayers = false

    func validate() throws {
        if let maxMemory {
            do { _ = try MemoryBudget(parsing: maxMemory) } catch { throw ValidationError("\(error)") }
        }
    }

    /// The budget these options describe.
    ///
    /// - Throws: ``DriftCore/DriftError`` for a malformed size.
    func budget() throws -> MemoryBudget {
        var budget = try maxMemory.map { try MemoryBudget(parsing: $0) } ?? .automatic
        if streamLayers { budget.forcedMode = .streaming }
        return budget
    }
}
