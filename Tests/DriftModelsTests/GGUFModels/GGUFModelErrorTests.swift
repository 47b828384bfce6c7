import DriftCore
import DriftModels
import Foundation
import Testing

/// Bad GGUF models and bad model references: one clear line each, never a crash.
@Suite struct GGUFModelErrorTests {
    static func error(_ body: () throws -> Void) throws -> DriftError {
        do {
            try body()
        } catch let error as DriftError {
            #expect(!error.description.contains("\n"))
            return error
        }
        throw DriftError(.invalidArgument, "expected an error")
    }

    @Test(arguments: [
        ("size-disagrees.gguf", #"tensor "token_embd.weight" (F32, shape [301, 48], 57792 bytes at data offset"#),
        ("size-disagrees.gguf", "its byte size disagrees with its type and shape"),
        ("unknown-type.gguf", #"tensor "blk.0.attn_q.weight" has unknown ggml type 99"#),
        (
            "unknown-arch.gguf",
            "GGUF architecture 'mamba' is not supported; supported: llama, qwen2, gemma3, gpt2, gptneox, olmo, bert"
        ),
    ])
    func badModelFileIsOneClearError(file: String, problem: String) throws {
        let path = try GGUFModelParityTests.ggufPath("bad/\(file)")
        let error = try Self.error { _ = try LoadedCheckpoint.load(path) }
        #expect(error.path == path)
        #expect(error.description.contains(problem), "\(error.description)")
    }

    @Test func unknownSchemeListsTheSchemes() throws {
        let path = try GGUFModelParityTests.ggufPath("llama-f32.gguf")
        let error = try Self.error { _ = try ModelReference(parsing: path + "@q3_xs") }
        #expect(error.kind == .invalidArgument)
        #expect(error.description.contains("unknown quantization scheme '@q3_xs'"))
        #expect(error.description.contains("known schemes: nf4, fp4, int8, q8_0, q4_0, q4_k, q6_k"))
    }

    @Test func missingModelSaysWhatToGive() throws {
        let error = try Self.error { _ = try ModelReference(parsing: "/nonexistent/model@nf4") }
        #expect(error.kind == .missing)
        #expect(error.path == "/nonexistent/model")
        #expect(error.description.contains("give a Hugging Face checkpoint folder"))
        #expect(error.description.contains(".gguf file"))
    }

    @Test func referencesParse() throws {
        let gguf = try GGUFModelParityTests.ggufPath("llama-q8_0.gguf")
        let plain = try ModelReference(parsing: gguf)
        #expect(plain == ModelReference(path: gguf, kind: .ggufFile, scheme: nil))
        #expect(plain.defaultVariantName == "llama-q8_0")
        let variant = try ModelReference(parsing: gguf + "@Q4_K")
        #expect(variant == ModelReference(path: gguf, kind: .ggufFile, scheme: .q4_k))
        #expect(variant.description == gguf + "@q4_k")
        #expect(variant.defaultVariantName == "llama-q8_0-q4_k")
        let folder = try ModelFixture("llama").folder.path
        #expect(
            try ModelReference(parsing: folder + "@nf4")
                == ModelReference(path: folder, kind: .checkpointFolder, scheme: .nf4))
        let empty = try Self.error { _ = try ModelReference(parsing: "@nf4") }
        #expect(empty.description.contains("names no model before '@'"))
    }

    /// A folder whose name really contains `@` is taken whole when it exists.
    @Test func existingPathWithAtSignIsNotAScheme() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("model@v2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let reference = try ModelReference(parsing: folder.path)
        #expect(reference.path == folder.path && reference.scheme == nil && reference.kind == .checkpointFolder)
    }

    @Test func inspectShowsTheSchemeOnGGUFTensors() throws {
        let path = try GGUFModelParityTests.ggufPath("llama-q8_0.gguf")
        let plain = try ModelSummary.inspect(path: path)
        #expect(plain.tensors.first { $0.name == "blk.0.ffn_down.weight" }?.type == "Q8_0")
        let summary = try ModelSummary.inspect(path: path, scheme: .nf4)
        #expect(summary.scheme == "nf4")
        #expect(summary.tensors.first { $0.name == "blk.0.ffn_down.weight" }?.type == "nf4")
        #expect(summary.tensors.first { $0.name == "blk.0.attn_norm.weight" }?.type == "F32")
        #expect(summary.tensors.first { $0.name == "token_embd.weight" }?.type == "F16")
    }
}
