import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Memory planning for float32 Mixture-of-Experts blocks whose experts are packed for the float32 kernel.
///
/// The plan counts the padded matrices the model really holds, and one more expert matrix while a block is packed. Experts
/// held in bf16 (gpt-oss's MXFP4 values are bf16 numbers) are counted at their float32 size: from the configuration
/// alone the plan is an upper bound.
@Suite(.enabled(if: LinearWeights.usesF32Kernel, "experts stay on BLAS on this CPU"))
struct MemoryPlanExpertTests {
    @Test(arguments: ["qwen3_moe", "mixtral", "olmoe", "gpt_oss"])
    func planCountsThePackedExperts(name: String) throws {
        let fixture = try ModelFixture(name)
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let plan = MemoryPlan(spec: spec)
        let model = try fixture.model()
        let experts = try #require(model.blocks.compactMap(\.experts).first)
        let matrices = try (experts.gateUp + experts.down).map { try #require($0.packedF32) }
        // Values per packed matrix; the plan counts each at 4 bytes, held in bf16 or not.
        let counts = matrices.map { matrix in
            switch matrix.values {
            case .float32(let values): values.count
            case .bfloat16(let values): values.count
            }
        }
        let held = matrices.reduce(0) { $0 + $1.byteCount }
        #expect(held <= 4 * counts.reduce(0, +))
        #expect(plan.conversionBytes == 4 * (counts.max() ?? 0))
        #expect(plan.blockBytes >= 4 * counts.reduce(0, +) + 4 * experts.router.weight.storage.count, "\(name)")
        // The padding is counted: the plan is no smaller than with the experts' unpadded float32 sizes.
        let routing = try #require(spec.experts)
        let unpadded = routing.count * 3 * routing.intermediateSize * spec.hiddenSize
        #expect(counts.reduce(0, +) >= unpadded && plan.blockBytes >= 4 * unpadded)
    }

    /// The plan from a bf16 checkpoint's weight source counts its linear weights in bf16, as the model holds them.
    ///
    /// The routed block's experts and attention projections are packed in bf16 for the float32 kernel; the plan is
    /// no smaller than what they, the float32 router and the norms take, and smaller than the float32 count. A
    /// float32 checkpoint's plan is the float32 one.
    @Test func planFromABF16CheckpointCountsItsWeightsInBF16() throws {
        let fixture = try ModelFixture("qwen3_moe-bf16")
        let model = try fixture.model()
        let source = try HuggingFaceWeights(spec: model.spec, store: try fixture.store(), path: fixture.folder.path)
        #expect(source.storesMatricesInBFloat16)
        let plan = MemoryPlan(source: source)
        let float32 = MemoryPlan(spec: model.spec)
        let block = try #require(model.blocks.first { $0.experts != nil })
        let experts = try #require(block.experts)
        let packed = try (experts.gateUp + experts.down + [block.queryKeyValue, block.attentionOutput]).map {
            try #require($0.packedF32)
        }
        #expect(packed.allSatisfy { if case .bfloat16 = $0.values { true } else { false } })
        let held = packed.reduce(0) { $0 + $1.byteCount } + 4 * experts.router.weight.storage.count
        #expect(plan.blockBytes >= held && plan.blockBytes < float32.blockBytes)
        // What is left is the norms and biases: a few float32 vectors of the hidden width.
        #expect(plan.blockBytes - held < 4 * 16 * model.spec.hiddenSize)

        let original = try ModelFixture("qwen3_moe")
        let float32Source = try HuggingFaceWeights(
            spec: model.spec, store: try original.store(), path: original.folder.path)
        #expect(!float32Source.storesMatricesInBFloat16)
        #expect(MemoryPlan(source: float32Source) == float32)
    }
}
