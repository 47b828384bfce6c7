import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// GGUF files written by gguf-py; expected metadata and values are what gguf-py's reader reads back.
@Suite struct GGUFTests {
    /// A canonical text of a metadata value: integers as decimal strings (as the generator writes them), numbers
    /// through `Double`, strings quoted, arrays bracketed.
    private func render(_ value: GGUFValue) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        case .bool(let b): return b ? "true" : "false"
        case .float32(let f): return "\(Double(f))"
        case .float64(let d): return "\(d)"
        case .array(let array): return "[" + array.values.map(render).joined(separator: ",") + "]"
        case .uint64(let v): return "\"\(v)\""
        case .int64(let v): return "\"\(v)\""
        default: return "\"\(value.intValue.map(String.init) ?? "?")\""
        }
    }

    private func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        case .bool(let b): return b ? "true" : "false"
        case .integer, .number: return "\(value.doubleValue ?? .nan)"
        case .array(let values): return "[" + values.map(render).joined(separator: ",") + "]"
        case .null, .object: return "?"
        }
    }

    private func expected(_ file: String) throws -> JSONValue {
        let data = try Data(contentsOf: URL(fileURLWithPath: try FormatFixtures.path("gguf/expected.json")))
        return try #require(try JSONValue.parse(data, path: nil)[file])
    }

    @Test(arguments: ["valid-v3.gguf", "valid-v2.gguf"])
    func metadataMatchesGGUFPy(name: String) throws {
        let reference = try expected(name)
        let file = try GGUFFile(path: try FormatFixtures.path("gguf/\(name)"))
        #expect(file.version == reference["version"]?.intValue)
        #expect(file.alignment == reference["alignment"]?.intValue)
        #expect(file.dataStart == reference["data_offset"]?.intValue)
        let entries = try #require(reference["metadata"]?.arrayValue)
        #expect(file.metadata.map(\.key) == entries.compactMap { $0["key"]?.stringValue }, "file order")
        for entry in entries {
            let key = try #require(entry["key"]?.stringValue)
            let value = try #require(file.value(key), "\(key)")
            #expect(value.typeName == entry["type"]?.stringValue, "\(key)")
            if case .array(let array) = value, case .array(let inner) = array, let first = inner.first {
                #expect(first.elementTypeName == entry["element_type"]?.stringValue, "\(key)")
            } else if case .array(let array) = value {
                #expect(array.elementTypeName == entry["element_type"]?.stringValue, "\(key)")
            }
            #expect(render(value) == render(try #require(entry["value"])), "\(key)")
        }
        #expect(file.architecture == "llama")
        #expect(file.integer("llama.block_count") == 2)
        #expect(file.integer("test.u64") == nil, "2^63 + 5 does not fit in Int")
        #expect(file.integer("test.i64") == -(1 << 62) - 3)
        #expect(file.number("test.f32") == Double(Float(3.14159)))
        #expect(file.bool("test.bool") == true)
        #expect(file.string("test.string") == "h\u{e9}llo \u{2713} \u{65e5}\u{672c}")
        #expect(file.array("test.arr_str")?.strings == ["a", "b\u{e9}", "", "\u{2581}token"])
        #expect(file.array("test.arr_u32")?.ints == [1, 4_294_967_295])
        #expect(file.array("test.arr_f32")?.floats == [0.5, -1.25, 1e-8])
        #expect(file.value("missing.key") == nil)
    }

    @Test(arguments: ["valid-v3.gguf", "valid-v2.gguf"])
    func tensorsMatchGGUFPy(name: String) throws {
        let reference = try expected(name)
        let store = try GGUFStore(path: try FormatFixtures.path("gguf/\(name)"))
        let entries = try #require(reference["tensors"]?.arrayValue)
        #expect(store.tensors.map(\.name) == entries.compactMap { $0["name"]?.stringValue })
        for entry in entries {
            let tensorName = try #require(entry["name"]?.stringValue)
            let tensor = try #require(store.file.tensor(tensorName))
            let ne = try #require(entry["ne"]?.arrayValue).compactMap(\.intValue)
            #expect(tensor.dimensions == ne, "\(tensorName)")
            #expect(store.info(tensorName)?.shape == ne.reversed(), "\(tensorName)")
            #expect(tensor.type.name == entry["type"]?.stringValue, "\(tensorName)")
            #expect(store.info(tensorName)?.typeName == entry["type"]?.stringValue, "\(tensorName)")
            #expect(tensor.offset == entry["offset"]?.intValue, "\(tensorName)")
            #expect(tensor.byteCount == entry["n_bytes"]?.intValue, "\(tensorName)")
            if let values = entry["values"]?.arrayValue {
                let reference = values.compactMap { $0.doubleValue.map(Float.init) }
                let floats = try store.floats(tensorName)
                #expect(floats.count == reference.count, "\(tensorName)")
                #expect(zip(floats, reference).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(tensorName)")
            } else {
                #expect(!tensor.type.canDequantize, "\(tensorName): every decodable tensor has expected values")
                let error = try FormatFixtures.driftError { _ = try store.floats(tensorName) }
                #expect(error.kind == .unsupported)
                #expect(
                    error.description.contains("tensor '\(tensorName)': type \(tensor.type.name) is not supported yet"))
            }
        }
    }

    @Test func quantizedAndPlainTensorsAreCovered() throws {
        let file = try GGUFFile(path: try FormatFixtures.path("gguf/valid-v3.gguf"))
        #expect(Set(file.tensors.map(\.type.name)) == ["F32", "F16", "BF16", "Q8_0", "I32", "IQ4_NL"])
        var buffer = [Float](repeating: 0, count: 128)
        try buffer.withUnsafeMutableBufferPointer { try file.copyFloats("blk.0.attn_q.weight", into: $0) }
        #expect(buffer == (try file.floats("blk.0.attn_q.weight")))
    }

    @Test func blockSizesMatchGGUFPy() {
        // gguf-py GGML_QUANT_SIZES for the types of common files (block size, bytes per block).
        let sizes: [GGMLType: (Int, Int)] = [
            .q4_0: (32, 18), .q4_1: (32, 20), .q5_0: (32, 22), .q5_1: (32, 24), .q8_0: (32, 34), .q2_K: (256, 84),
            .q3_K: (256, 110), .q4_K: (256, 144), .q5_K: (256, 176), .q6_K: (256, 210), .bf16: (1, 2),
        ]
        for (type, size) in sizes {
            #expect(type.blockSize == size.0 && type.bytesPerBlock == size.1, "\(type.name)")
        }
    }

    @Test(arguments: [
        ("wrong-magic.gguf", "not a GGUF file: the magic is 'GGML', expected 'GGUF'"),
        ("tiny.gguf", "too short for the magic"),
        ("bad-version.gguf", "unsupported GGUF version 7; supported: 2, 3"),
        ("version-1.gguf", "GGUF version 1 is not supported"),
        ("lying-tensor-count.gguf", "tensor count 1099511627776 cannot be right"),
        ("lying-metadata-count.gguf", "metadata count 1099511627776 cannot be right"),
        ("string-past-end.gguf", "past the end of the file"),
        ("array-count-lie.gguf", #"metadata array "test.arr_i32" claims 1125899906842624 elements"#),
        ("too-many-dims.gguf", #"tensor "token_embd.weight" has 5 dimensions; GGUF allows at most 4"#),
        ("unknown-ggml-type.gguf", #"tensor "token_embd.weight" has unknown ggml type 99"#),
        ("truncated.gguf", "truncated: tensor"),
    ])
    func badFileIsOneClearError(file: String, problem: String) throws {
        let path = try FormatFixtures.path("gguf/bad/\(file)")
        let error = try FormatFixtures.driftError { _ = try GGUFFile(path: path) }
        #expect(error.path == path)
        #expect(error.description.hasPrefix(path))
        #expect(error.description.contains(problem), "\(error.description)")
        #expect(!error.description.contains("\n"))
    }

    @Test func missingFileIsAClearError() throws {
        let error = try FormatFixtures.driftError { _ = try GGUFFile(path: "/nonexistent/model.gguf") }
        #expect(error.kind == .missing)
        #expect(error.description == "/nonexistent/model.gguf: no such file")
    }
}
