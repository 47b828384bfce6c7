import DriftCore
import Foundation

@testable import DriftModels

/// A tokenizer for tests: BOS (id 1) when special tokens are asked for, then one id per whitespace-separated word
/// (zero-width spaces are dropped, so a term made of them tokenises to nothing).
struct WordTokenizer: Tokenizer {
    var vocabularySize: Int { 100 }
    var kindDescription: String { "test words" }

    func encode(_ text: String, addSpecialTokens: Bool) -> [Int] {
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{200B}" }))
        let words = cleaned.split(whereSeparator: \.isWhitespace)
        let ids = words.map { word in
            2 + Int(word.unicodeScalars.reduce(UInt32(7)) { ($0 &* 31 &+ $1.value) % 9973 } % 98)
        }
        return (addSpecialTokens ? [1] : []) + ids
    }
}

/// A model for tests: each pooled vector is a fixed function of the prompt's ids, the layer and the column, so the
/// expected output of any prompt is known without batching; it records the batches it was given.
final class FakeModel: HiddenStateModel, @unchecked Sendable {
    // @unchecked: `batches` is only touched under `lock`.
    let layerCount: Int
    let hiddenSize: Int
    var poisonedTerm: [Int]?
    private let lock = NSLock()
    private var recorded: [[[Int]]] = []

    init(layerCount: Int = 3, hiddenSize: Int = 8) {
        self.layerCount = layerCount
        self.hiddenSize = hiddenSize
    }

    var batches: [[[Int]]] { lock.withLock { recorded } }

    static func vector(ids: [Int], layer: Int, pooling: Pooling, hiddenSize: Int) -> [Float] {
        let selected = pooling == .last ? [ids[ids.count - 1]] : ids
        return (0..<hiddenSize).map { column in
            let total = selected.enumerated().reduce(Float(0)) { sum, item in
                sum + Float(item.element) * sin(Float(column + 1) * Float(item.offset + ids.count) + Float(layer))
            }
            return total / Float(selected.count) + Float(layer) * 0.25 - Float(column) * 0.125
        }
    }

    var canSharePromptPrefix: Bool { false }

    func pooledHiddenStates(batch: [[Int]], layers: [Int], pooling: Pooling, sharingPrefix: Bool) throws -> [Matrix] {
        lock.withLock { recorded.append(batch) }
        return layers.map { layer in
            var matrix = Matrix(rows: batch.count, columns: hiddenSize)
            for (row, ids) in batch.enumerated() {
                var values = FakeModel.vector(ids: ids, layer: layer, pooling: pooling, hiddenSize: hiddenSize)
                if ids == poisonedTerm, layer == layers.last { values[0] = .nan }
                matrix.setRow(row, to: values)
            }
            return matrix
        }
    }
}
