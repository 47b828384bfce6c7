import DriftCore
import Foundation

/// Which hidden-state indices to keep (Hugging Face `hidden_states` numbering: 0 = embedding output,
/// `layerCount` = after the final norm).
public enum LayerSelection: Sendable, Equatable, CustomStringConvertible {
    /// Every index, `0...layerCount`.
    case all
    /// Only `layerCount` (the final norm's output: the reference study's layer).
    case last
    /// The given indices, each in `0...layerCount` (negative counts from the end: -1 = last).
    case indices([Int])

    /// Parses `all`, `last`, or a comma-separated list of indices such as `0,8,16` or `-1`.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) for anything else.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed.lowercased() {
        case "all": self = .all
        case "last": self = .last
        default:
            let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false)
            var values: [Int] = []
            for part in parts {
                guard let value = Int(part.trimmingCharacters(in: .whitespaces)) else {
                    throw DriftError(
                        .invalidArgument,
                        "invalid layer selection \"\(text)\": expected all, last, or indices such as 0,8,16")
                }
                values.append(value)
            }
            self = .indices(values)
        }
    }

    /// The selected indices for a model with `layerCount` blocks, ascending, each in `0...layerCount`.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) naming the valid range when an index is out of it,
    ///   or when an index is given twice.
    public func resolve(layerCount: Int) throws -> [Int] {
        switch self {
        case .all: return Array(0...layerCount)
        case .last: return [layerCount]
        case .indices(let given):
            guard !given.isEmpty else {
                throw DriftError(.invalidArgument, "the layer list is empty")
            }
            var resolved: [Int] = []
            for value in given {
                let index = value < 0 ? layerCount + 1 + value : value
                guard (0...layerCount).contains(index) else {
                    throw DriftError(
                        .invalidArgument,
                        "layer \(value) is out of range: this model has \(layerCount) blocks, so layers are 0…\(layerCount) (or -\(layerCount + 1)…-1)"
                    )
                }
                guard !resolved.contains(index) else {
                    throw DriftError(.invalidArgument, "layer \(index) is selected twice")
                }
                resolved.append(index)
            }
            return resolved.sorted()
        }
    }

    public var description: String {
        switch self {
        case .all: return "all"
        case .last: return "last"
        case .indices(let values): return values.map(String.init).joined(separator: ",")
        }
    }
}
