import Foundation
import Testing

@testable import DriftCore

@Suite struct CPUFeaturesTests {
    /// The kernel dispatch must agree with what the kernel reports in /proc/cpuinfo (Linux only).
    @Test func agreesWithProcCpuinfo() throws {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let flagsLine = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        #expect(CPUFeatures.hasAVX2FMA == (flags.contains("avx2") && flags.contains("fma")))
        let bf16 = ["avx512f", "avx512bw", "avx512vl", "avx512_bf16"].allSatisfy(flags.contains)
        #expect(CPUFeatures.hasAVX512BF16 == bf16)
    }
}
