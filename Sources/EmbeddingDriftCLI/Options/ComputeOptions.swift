import ArgumentParser
import DriftModels

/// `--compute f32|bf16`: the linear layers' arithmetic (shared by `extract`, `compare` and `bench extract`).
struct ComputeOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Arithmetic of the linear layers: f32 (default; matches transformers in float32) or bf16 (weights held in bf16, activations rounded to bf16 at each matrix product, float32 accumulation, norms, attention and residual stream; the matrix products run several times faster; needs a CPU with AVX-512 BF16 — elsewhere it stops with an error). The choice is part of the variant's fingerprint.",
            valueName: "f32|bf16"))
    var compute: String = ComputePrecision.f32.rawValue

    func validate() throws {
        do { _ = try ComputePrecision(parsing: compute) } catch { throw ValidationError("\(error)") }
    }

    /// The precision these options describe.
    ///
    /// - Throws: ``DriftCore/DriftError`` for an unknown name, or for bf16 on a CPU without AVX-512 BF16.
    func precision() throws -> ComputePrecision {
        let precision = try ComputePrecision(parsing: compute)
        try precision.checkSupported()
        return precision
    }
}
