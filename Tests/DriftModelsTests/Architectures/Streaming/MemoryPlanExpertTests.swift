import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Memory planning for float32 Mixture-of-Experts blocks whose experts are packed for the float32 kernel.
///
/// The plan counts the padded matrices the model really holds, and one more expert matrix while a block is packed. Experts
/// held in bf16 (gpt-oss's MXFP4 values are bf16 numbers) are counted at their float32 size: from the configuration
/// alone the plan is an upper bound.
@Suite(.enabled(if: ExpertWeights.packsForF32Kernel, "experts stay on BLAS on this CPU"))
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

    /// The plan from a bf16 checkpoint's weight source counts its experts in bf16, as the model holds them.
    ///
    /// That is exactly their bf16 bytes less than the float32 count, and still no less than the block holds. A float32
    /// checkpoint's plan is the float32 one.
    @Test func planFromABF16CheckpointCountsItsExpertsInBF16() throws {
        let fixture = try ModelFixture("qwen3_moe-bf16")
        let model = try fixture.model()
        let source = try HuggingFaceWeights(spec: model.spec, store: try fixture.store(), path: fixture.folder.path)
        #expect(source.storesMatricesInBFloat16)
        let plan = MemoryPlan(source: source)
        let float32 = MemoryPlan(spec: model.spec)
        let experts = try #require(model.blocks.compactMap(\.experts).first)
        let held = try (experts.gateUp + experts.down).reduce(0) { $0 + (try #require($1.packedF32)).byteCount }
        #expect(float32.blockBytes - plan.blockBytes == held)
        #expect(plan.blockBytes >= held + 4 * experts.router.weight.storage.count)

        let original = try ModelFixture("qwen3_moe")
        let float32Source = try HuggingFaceWeights(
            spec: model.spec, store: try original.store(), path: original.folder.path)
        #expect(!float32Source.storesMatricesInBFloat16)
        #expect(MemoryPlan(source: float32Source) == float32)
    }
}
