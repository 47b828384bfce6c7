import DriftCore
import Foundation
import Testing

@testable import DriftModels

@Suite struct SafetensorsTests {
    /// Every tensor equals, bit for bit, what the safetensors library reads back.
    private func checkAgainstExpected(store: SafetensorsStore, expected: [String: Any]) throws {
        let tensors = try #require(expected["tensors"] as? [String: Any])
        #expect(store.tensors.count == tensors.count)
        for (name, entryValue) in tensors {
            let entry = try #require(entryValue as? [String: Any])
            let info = try #require(store.info(name), "missing \(name)")
            #expect(info.typeName == entry["dtype"] as? String, "\(name)")
            #expect(info.shape == (try FormatFixtures.ints(entry["shape"])), "\(name)")
            let values = try store.floats(name)
            let reference = try FormatFixtures.floats(entry["values"])
            #expect(values.count == reference.count, "\(name)")
            #expect(zip(values, reference).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(name)")
        }
    }

    @Test func singleFileMatchesReference() throws {
        let folder = try FormatFixtures.path("safetensors/single")
        let store = try SafetensorsStore(path: folder)
        try checkAgainstExpected(store: store, expected: try FormatFixtures.json("safetensors/single/expected.json"))
        #expect(store.files.count == 1)
        #expect(store.files[0].metadata == ["format": "pt"])
        // Tensors are listed in data-offset order, which the writer chose.
        let offsets = store.files[0].tensors.map(\.dataOffsets.lowerBound)
        #expect(offsets == offsets.sorted())
        #expect(store.info("scalar.f32")?.shape == [])
        #expect(store.info("empty.f32")?.elementCount == 0)
    }

    @Test func openingTheFileDirectlyWorks() throws {
        let store = try SafetensorsStore(path: try FormatFixtures.path("safetensors/single/model.safetensors"))
        try checkAgainstExpected(store: store, expected: try FormatFixtures.json("safetensors/single/expected.json"))
    }

    @Test func copyFloatsChecksTheDestination() throws {
        let store = try SafetensorsStore(path: try FormatFixtures.path("safetensors/single"))
        var buffer = [Float](repeating: 0, count: 35)
        try buffer.withUnsafeMutableBufferPointer { try store.copyFloats("model.embed_tokens.weight", into: $0) }
        #expect(buffer == (try store.floats("model.embed_tokens.weight")))
        var wrong = [Float](repeating: 0, count: 3)
        let error = try FormatFixtures.driftError {
            try wrong.withUnsafeMutableBufferPointer { try store.copyFloats("model.embed_tokens.weight", into: $0) }
        }
        #expect(error.kind == .invalidArgument)
    }

    /// Converting in chunks (releasing each chunk's pages as it goes) gives every tensor bit for bit, whatever the chunk.
    @Test(arguments: [1, 3, 7, 64])
    func copyFloatsInChunksEqualsWholeConversion(chunk: Int) throws {
        let file = try SafetensorsFile(path: try FormatFixtures.path("safetensors/single/model.safetensors"))
        for tensor in file.tensors where tensor.dataType != nil {
            let whole = try file.floats(tensor.name)
            var chunked = [Float](repeating: .nan, count: whole.count)
            try chunked.withUnsafeMutableBufferPointer {
                try file.copyFloats(tensor.name, into: $0, chunkElements: chunk)
            }
            #expect(chunked.map(\.bitPattern) == whole.map(\.bitPattern), "\(tensor.name) chunk \(chunk)")
        }
    }

    @Test func shardedCheckpointMatchesReference() throws {
        let store = try SafetensorsStore(path: try FormatFixtures.path("safetensors/sharded"))
        #expect(store.files.count == 2)
        try checkAgainstExpected(store: store, expected: try FormatFixtures.json("safetensors/sharded/expected.json"))
    }

    @Test func missingTensorIsAClearError() throws {
        let store = try SafetensorsStore(path: try FormatFixtures.path("safetensors/single"))
        let error = try FormatFixtures.driftError { _ = try store.floats("nope") }
        #expect(error.kind == .missing)
        #expect(error.description.contains("nope"))
    }

    @Test(arguments: [
        ("truncated.safetensors", "past the end of the data section"),
        ("overrun.safetensors", "past the end of the data section"),
        ("absurd-header.safetensors", "exceeds the 100000000-byte limit"),
        ("header-past-end.safetensors", "header length 1000000 bytes"),
        ("shape-mismatch.safetensors", "holds 256 bytes but its shape [8, 7] of F32 needs 224"),
        ("shape-overflow.safetensors", "overflows"),
        ("not-json.safetensors", "not valid JSON"),
        ("tiny.safetensors", "shorter than the 8-byte header length"),
    ])
    func badFileIsOneClearError(file: String, problem: String) throws {
        let path = try FormatFixtures.path("safetensors/bad/\(file)")
        let error = try FormatFixtures.driftError { _ = try SafetensorsFile(path: path) }
        #expect(error.path == path)
        #expect(error.description.hasPrefix(path))
        #expect(error.description.contains(problem), "\(error.description)")
        #expect(!error.description.contains("\n"))
    }

    @Test func missingShardIsNamed() throws {
        let folder = try FormatFixtures.path("safetensors/bad/missing-shard")
        let error = try FormatFixtures.driftError { _ = try SafetensorsStore(path: folder) }
        #expect(error.kind == .missing)
        #expect(error.description.contains("model-00002-of-00002.safetensors"))
        #expect(error.description.contains("missing"))
    }

    @Test func indexListingAnAbsentTensorIsAClearError() throws {
        let folder = try FormatFixtures.path("safetensors/bad/index-lists-absent-tensor")
        let error = try FormatFixtures.driftError { _ = try SafetensorsStore(path: folder) }
        #expect(
            error.description.contains(
                "tensor 'lm_head.weight' listed in model.safetensors.index.json is in none of the shards"))
    }

    @Test func folderWithoutWeightsIsAClearError() throws {
        let folder = try FormatFixtures.path("safetensors/bad")
        let error = try FormatFixtures.driftError { _ = try SafetensorsStore(path: folder) }
        #expect(error.description.contains("ambiguous"))
        let none = FileManager.default.temporaryDirectory.appendingPathComponent("drift-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: none, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: none) }
        let error2 = try FormatFixtures.driftError { _ = try SafetensorsStore(path: none.path) }
        #expect(error2.kind == .missing)
        #expect(error2.description.contains("no safetensors weights"))
    }
}

@Suite struct TensorStoreLoaderTests {
    @Test func picksTheStoreByPath() throws {
        #expect(try TensorStoreLoader.open(path: try FormatFixtures.path("safetensors/sharded")) is SafetensorsStore)
        #expect(try TensorStoreLoader.open(path: try FormatFixtures.path("gguf/valid-v2.gguf")) is GGUFStore)
        let error = try FormatFixtures.driftError { _ = try TensorStoreLoader.open(path: "/nonexistent") }
        #expect(error.kind == .missing)
    }
}
