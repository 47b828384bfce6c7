import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Decoding a GGUF tensor straight into the model's memory (row permutations undone while decoding) gives the same
/// values, bit for bit, as decoding it into an array and permuting that.
@Suite struct GGUFModelStoreFillTests {
    static let files =
        GGUFModelParityTests.architectures.map { "\($0)-f32.gguf" }
        + GGUFModelParityTests.quantizedArchitectures.map { "\($0)-q8_0.gguf" }

    @Test(arguments: files)
    func copyFloatsEqualsFloats(name: String) throws {
        let file = try GGUFFile(path: try GGUFModelParityTests.ggufPath(name))
        let spec = try ModelLoader.spec(gguf: file)
        let store = try GGUFModelStore(
            file: file, headCount: spec.headCount, keyValueHeadCount: spec.keyValueHeadCount)
        for tensor in store.tensors {
            let expected = try store.floats(tensor.name)
            var filled = [Float](repeating: .nan, count: tensor.elementCount)
            try filled.withUnsafeMutableBufferPointer { try store.copyFloats(tensor.name, into: $0) }
            store.releasePages(tensor.name)
            #expect(filled.map(\.bitPattern) == expected.map(\.bitPattern), "\(name): \(tensor.name)")
        }
    }

    @Test func copyRowsRejectsADestinationOfTheWrongSize() throws {
        let file = try GGUFFile(path: try GGUFModelParityTests.ggufPath("llama-f32.gguf"))
        let tensor = try #require(file.tensors.first { $0.dimensions.count == 2 })
        var small = [Float](repeating: 0, count: tensor.elementCount - 1)
        #expect(throws: DriftError.self) {
            try small.withUnsafeMutableBufferPointer {
                try file.copyRows(tensor.name, rows: tensor.shape[0], into: $0) { $0 }
            }
        }
    }
}
