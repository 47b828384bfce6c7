import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// A tiny in-memory store for the wrapper tests.
private struct MemoryStore: TensorStore {
    var tensors: [TensorInfo]
    var values: [String: [Float]]
    func floats(_ name: String) throws -> [Float] {
        guard let v = values[name] else { throw DriftError(.missing, "no tensor \(name)") }
        return v
    }
}

@Suite struct QuantizationSchemeTests {
    @Test func parsesModelReferences() throws {
        let (model, scheme) = try QuantizationScheme.split("google/gemma-3-270m@NF4")
        #expect(model == "google/gemma-3-270m" && scheme == .nf4)
        let plain = try QuantizationScheme.split("/models/x@y/model")
        #expect(plain.model == "/models/x@y/model" && plain.scheme == nil)
        #expect(try QuantizationScheme.split("gpt2").scheme == nil)
        #expect(try QuantizationScheme.split("m@q4_k").scheme == .q4_k)
    }

    @Test func unknownSchemeListsTheKnownOnes() {
        do {
            _ = try QuantizationScheme.split("model@q3_k")
            Issue.record("an unknown scheme was accepted")
        } catch let error as DriftError {
            #expect(error.kind == .invalidArgument)
            for scheme in QuantizationScheme.allCases { #expect(error.message.contains(scheme.rawValue)) }
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(throws: DriftError.self) { try QuantizationScheme.split("@nf4") }
        #expect(QuantizationScheme.helpText.contains("without the outlier decomposition"))
    }

    @Test func llamaCppFallbacksForRowsThatAreNotWholeSuperBlocks() {
        #expect(QuantizationScheme.q4_k.ggmlType(rowLength: 640) == .q5_0)
        #expect(QuantizationScheme.q6_k.ggmlType(rowLength: 640) == .q8_0)
        #expect(QuantizationScheme.q4_k.ggmlType(rowLength: 2048) == .q4_K)
        #expect(QuantizationScheme.q8_0.ggmlType(rowLength: 30) == .f16)
        #expect(QuantizationScheme.q4_k.typeName(shape: [64, 640]) == "q4_k→Q5_0")
        #expect(QuantizationScheme.nf4.ggmlType(rowLength: 64) == nil)
    }

    @Test func wrapperQuantizesOnlyBlockLinearWeights() throws {
        let rows = 4
        let cols = 256
        let weight = (0..<(rows * cols)).map { Float(sin(Double($0) * 0.37)) }
        let infos = [
            TensorInfo(name: "model.embed_tokens.weight", typeName: "F32", shape: [rows, cols]),
            TensorInfo(name: "model.layers.0.self_attn.q_proj.weight", typeName: "F32", shape: [rows, cols]),
            TensorInfo(name: "model.layers.0.input_layernorm.weight", typeName: "F32", shape: [cols]),
            TensorInfo(name: "model.layers.0.self_attn.q_proj.bias", typeName: "F32", shape: [rows]),
            TensorInfo(name: "transformer.h.3.mlp.c_fc.weight", typeName: "F32", shape: [rows, cols]),
            TensorInfo(name: "blk.2.ffn_down.weight", typeName: "F32", shape: [rows, cols]),
            TensorInfo(name: "lm_head.weight", typeName: "F32", shape: [rows, cols]),
        ]
        var values: [String: [Float]] = [:]
        for info in infos { values[info.name] = Array(weight.prefix(info.elementCount)) }
        let store = QuantizedTensorStore(base: MemoryStore(tensors: infos, values: values), scheme: .q4_k)
        let quantized = store.tensors.filter { $0.typeName.hasPrefix("q4_k") }.map(\.name)
        #expect(
            quantized == [
                "model.layers.0.self_attn.q_proj.weight", "transformer.h.3.mlp.c_fc.weight", "blk.2.ffn_down.weight",
            ])
        // The Conv1D weight's rows (length 4 once transposed) are not whole blocks: llama.cpp falls back to F16.
        #expect(store.info("transformer.h.3.mlp.c_fc.weight")?.typeName == "q4_k→F16")
        #expect(try store.floats("model.embed_tokens.weight") == weight)
        #expect(try store.floats("lm_head.weight") == weight)
        let q = try store.floats("model.layers.0.self_attn.q_proj.weight")
        #expect(q != weight)
        #expect(q == (try QuantizationScheme.q4_k.roundTrip(weight, shape: [rows, cols])))
        #expect(maxAbsDifference(q, weight) < 0.1)
        #expect(throws: DriftError.self) { try QuantizationScheme.nf4.roundTrip(weight, shape: [3, 3]) }
        // GPT-2's Conv1D weight [in, out] is quantized as its [out, in] transpose.
        let conv = try store.floats("transformer.h.3.mlp.c_fc.weight")
        let transposed = QuantizedTensorStore.transpose(weight, rows: rows, cols: cols)
        let expected = QuantizedTensorStore.transpose(
            try QuantizationScheme.q4_k.roundTrip(transposed, shape: [cols, rows]), rows: cols, cols: rows)
        #expect(conv == expected)
        // With NF4 the flattening order matters: blocks of 64 run along the transposed rows.
        let nf4Store = QuantizedTensorStore(base: MemoryStore(tensors: infos, values: values), scheme: .nf4)
        let nf4 = try nf4Store.floats("transformer.h.3.mlp.c_fc.weight")
        let nf4Expected = QuantizedTensorStore.transpose(
            try QuantizationScheme.nf4.roundTrip(transposed, shape: [cols, rows]), rows: cols, cols: rows)
        #expect(nf4 == nf4Expected)
        #expect(nf4 != (try QuantizationScheme.nf4.roundTrip(weight, shape: [rows, cols])))
    }
}

/// A quantized view fills a model's memory with what ``QuantizedTensorStore/floats(_:)`` returns, value for value:
/// the tensors it leaves alone straight from the base store, the quantized ones through the scheme.
@Suite struct QuantizedTensorStoreFillingTests {
    @Test(arguments: [QuantizationScheme.q8_0, .nf4])
    func fillingEqualsFloats(scheme: QuantizationScheme) throws {
        let fixture = try ModelFixture("llama")
        let store = QuantizedTensorStore(base: try fixture.store(), scheme: scheme)
        var quantized = 0
        for info in store.tensors {
            var filled = [Float](repeating: .nan, count: info.elementCount)
            try filled.withUnsafeMutableBufferPointer { try store.copyFloats(info.name, into: $0) }
            #expect(filled.map(\.bitPattern) == (try store.floats(info.name)).map(\.bitPattern), "\(info.name)")
            if QuantizedTensorStore.isQuantized(info) { quantized += 1 }
        }
        #expect(quantized > 0 && quantized < store.tensors.count)
        var short = [Float](repeating: 0, count: 3)
        let name = try #require(store.tensors.first { QuantizedTensorStore.isQuantized($0) }?.name)
        #expect(throws: DriftError.self) {
            try short.withUnsafeMutableBufferPointer { try store.copyFloats(name, into: $0) }
        }
    }
}

@Suite struct QuantizationRobustnessTests {
    @Test(arguments: QuantizationScheme.allCases)
    func nonFiniteWeightsDoNotCrash(scheme: QuantizationScheme) throws {
        var weight = (0..<512).map { Float($0 % 17) * 0.01 - 0.08 }
        weight[3] = .nan
        weight[100] = .infinity
        weight[300] = -.infinity
        let values = try scheme.roundTrip(weight, shape: [2, 256])
        #expect(values.count == weight.count)
        // Zeros stay finite, whatever the scheme.
        let zeros = try scheme.roundTrip([Float](repeating: 0, count: 256), shape: [1, 256])
        #expect(zeros.allSatisfy { $0 == 0 })
    }

    @Test func overflowingShapesAreErrors() {
        #expect(throws: DriftError.self) { try QuantizationScheme.nf4.roundTrip([1], shape: [Int.max, 4]) }
        #expect(throws: DriftError.self) { try QuantizationScheme.q8_0.roundTrip([1, 2], shape: [-1, -2]) }
    }
}
