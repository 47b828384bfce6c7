import DriftCore
import DriftModels
import Foundation
import Testing

/// GGUF files written by llama.cpp's own `convert_hf_to_gguf.py` (`Scripts/fixtures/gguf_converter.py`) for the
/// families added with one file per family — fused projections (Phi-3), stacked `ffn_*_exps` experts (Qwen3-MoE,
/// OLMoE), Gemma 2's +1 norms and soft-capping, Qwen3's q/k norms — against transformers on the converted checkpoint.
@Suite struct GGUFConverterParityTests {
    static let architectures = ["qwen3", "qwen3_moe", "olmoe", "gemma2", "phi3", "gpt_oss"]

    @Test(arguments: architectures)
    func convertedFileMatchesTransformers(architecture: String) throws {
        let fixture = try ModelFixture(architecture)
        let file = try GGUFFile(path: try GGUFModelParityTests.ggufPath("\(architecture)-f32.gguf"))
        let expected = try ModelFixture.readNpy(
            URL(fileURLWithPath: try GGUFModelParityTests.ggufPath("\(architecture)-f32-last.npy")))
        let model = try ModelLoader.load(gguf: file)
        #expect(model.layerCount == fixture.index.layers)
        #expect(model.hiddenSize == fixture.index.hidden_size)
        _ = try GGUFModelParityTests.compare(
            model, fixture: fixture, expected: expected, label: "\(architecture) converter F32", cosine: 0.99999,
            relative: 1e-4)
    }

    /// The byte-level vocabularies the converter wrote give transformers' ids.
    @Test(arguments: ["qwen3", "qwen3_moe", "gpt_oss"])
    func tokenizerFromMetadataMatchesTransformers(architecture: String) throws {
        let fixture = try ModelFixture(architecture)
        let file = try GGUFFile(path: try GGUFModelParityTests.ggufPath("\(architecture)-f32.gguf"))
        let tokenizer = try GGUFTokenizerMetadata(gguf: file).makeTokenizer(path: file.path)
        for prompt in fixture.index.prompts {
            #expect(try tokenizer.encode(prompt.text, addSpecialTokens: true) == prompt.ids, "\(prompt.text)")
        }
    }

    /// What the loader reads from llama.cpp's Mixture-of-Experts keys.
    @Test func expertKeysBecomeTheRouting() throws {
        let qwen = try ModelLoader.spec(
            gguf: try GGUFFile(path: try GGUFModelParityTests.ggufPath("qwen3_moe-f32.gguf")))
        #expect(qwen.experts?.count == 8)
        #expect(qwen.experts?.active == 2)
        #expect(qwen.experts?.normalizesTopK == true)
        #expect(qwen.experts?.intermediateSize == 32)
        #expect(qwen.experts?.layers == [true, true, true])
        let olmoe = try ModelLoader.spec(gguf: try GGUFFile(path: try GGUFModelParityTests.ggufPath("olmoe-f32.gguf")))
        #expect(olmoe.experts?.active == 3)
        #expect(olmoe.experts?.normalizesTopK == false)
        #expect(olmoe.clipQueryKeyValue == nil)
    }
}
