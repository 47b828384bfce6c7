import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Memory planning for float32 Mixture-of-Experts blocks whose experts are packed for the float32 kernel: the plan
/// counts the padded matrices the model really holds, and one more expert matrix while a block is packed.
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
        let held = matrices.reduce(0) { $0 + $1.byteCount }
        #expect(plan.conversionBytes == matrices.map(\.byteCount).max())
        #expect(plan.blockBytes >= held + 4 * experts.router.weight.storage.count, "\(name)")
        // The padding is counted: the plan is no smaller than with the experts' unpadded float32 sizes.
        let routing = try #require(spec.experts)
        let unpadded = 4 * routing.count * 3 * routing.intermediateSize * spec.hiddenSize
        #expect(held >= unpadded && plan.blockBytes >= unpadded)
    }
}
