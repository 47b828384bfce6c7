import DriftCore
import Foundation
import Testing

@testable import DriftModels

@Suite struct MemoryBudgetTests {
    @Test func parsesSizesInPowersOf1024() throws {
        let cases: [(String, Int)] = [
            ("4G", 4 << 30), ("4GiB", 4 << 30), ("4gb", 4 << 30), ("1.5G", 3 << 29), ("512M", 512 << 20),
            ("512 MiB", 512 << 20), ("64K", 64 << 10), ("1T", 1 << 40), ("123456", 123_456), ("100B", 100),
        ]
        for (text, bytes) in cases {
            #expect(try MemoryBudget(parsing: text).bytes == bytes, "\(text)")
        }
        for bad in ["", "G", "4X", "-4G", "0", "four", "4GG", "0.1"] {
            #expect(throws: DriftError.self, "\(bad)") { _ = try MemoryBudget(parsing: bad) }
        }
    }

    /// Physical memory as the operating system reports it (Foundation reads it independently).
    @Test func physicalMemoryMatchesFoundation() throws {
        let bytes = try #require(MemoryBudget.physicalMemoryBytes())
        let foundation = Int(ProcessInfo.processInfo.physicalMemory)
        #expect(abs(bytes - foundation) <= foundation / 100, "\(bytes) vs \(foundation)")
        #expect(MemoryBudget.automatic.bytes == Int(Double(bytes) * MemoryBudget.defaultShare))
    }

    @Test func formatsForPeople() {
        #expect(MemoryBudget.format(512 << 20) == "512.0 MiB")
        #expect(MemoryBudget.format(7 << 29) == "3.50 GiB")
    }

    /// The plan's figures for Llama-3.1-8B's shapes, from its published parameter count, 8,030,261,248 = 32 blocks ×
    /// 218,112,000 (of which 2 × 4096 norm weights) + 2 × 525,336,576 (token table, LM head) + 4096 (final norm).
    @Test func planForLlama8BShapes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = """
            {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 4096,
             "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8,
             "vocab_size": 128256, "rms_norm_eps": 1e-5, "rope_theta": 500000.0, "max_position_embeddings": 131072}
            """
        try Data(config.utf8).write(to: folder.appendingPathComponent("config.json"))
        let plan = MemoryPlan(spec: try ArchitectureSpec(configFile: folder.path))
        let norms: Int = 4 * 4096 + 2 * 4096
        let biases: Int = 6144 + 4096 + 2 * 14336 + 4096
        let linear: Int = 218_112_000 - 2 * 4096
        let published: Int = 32 * 218_112_000 + 2 * 525_336_576 + 4096
        #expect(published == 8_030_261_248)
        // The plan counts room for every norm and bias an architecture may have, beyond Llama's two norms.
        #expect(plan.blockBytes == 4 * (linear + norms + biases))
        #expect(plan.embeddingBytes == 4 * (525_336_576 + 4 * 4096))
        #expect(2 * plan.blockBytes + plan.embeddingBytes < 4 << 30)
        #expect(plan.inMemoryWeightBytes > 27 << 30)
    }
}
