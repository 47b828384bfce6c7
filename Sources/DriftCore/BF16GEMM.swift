import CKernels

/// The bf16 matrix product on AVX-512 BF16 (VDPBF16PS), for `--compute bf16`.
///
/// `C = A · Bᵀ` where `A` (float32 activations) is rounded to bf16 with round-to-nearest-even while it is packed and
/// `B` is a ``BF16PackedMatrix``; products of bf16 pairs are accumulated in float32. The kernel is in `CKernels`
/// (`ck_bf16_gemm.c`); this type threads it over ``Parallel``: the packing of `A` over row panels, the product over
/// column panels of `B`.
package enum BF16GEMM {
    /// Whether this CPU can run the product.
    package static var isAvailable: Bool { CPUFeatures.hasAVX512BF16 }

    /// `c[m × n] = bf16(a[m × k]) · bᵀ`, overwriting `c`.
    ///
    /// - Parameters:
    ///   - a: the activations, `m × k` float32, row stride `lda` (≥ k).
    ///   - b: the packed weight, `n = b.rows` rows × `k = b.columns` columns.
    ///   - c: the result, `m × n` float32, row stride `ldc` (≥ n).
    package static func multiply(
        _ a: UnsafePointer<Float>, m: Int, lda: Int, by b: BF16PackedMatrix, into c: UnsafeMutablePointer<Float>,
        ldc: Int
    ) {
        precondition(isAvailable, "BF16GEMM needs AVX-512 BF16")
        precondition(lda >= b.columns && ldc >= b.rows, "row strides must cover the rows")
        guard m > 0, b.rows > 0 else { return }
        let k = b.columns
        let n = b.rows
        let output = UncheckedPointer(c)
        b.packed.withUnsafeBufferPointer { packedB in
            guard let packedB = packedB.baseAddress else { return }
            PanelProduct.run(
                packedCount: ck_bf16_packed_a_count(m, k), rowPanels: (m + Int(CK_BF16_MR) - 1) / Int(CK_BF16_MR),
                columnPanels: (n + Int(CK_BF16_NR) - 1) / Int(CK_BF16_NR),
                pack: { packedA, panels in
                    ck_bf16_pack_a(a, lda, m, k, packedA, panels.lowerBound, panels.upperBound)
                },
                multiply: { packedA, panels in
                    ck_bf16_gemm_panels(
                        packedA, packedB, output.pointer, ldc, m, n, k, panels.lowerBound, panels.upperBound)
                })
        }
    }

    /// Round-to-nearest-even float32 → bf16 → float32, the rounding the packers apply (for references and tests).
    package static func rounded(_ value: Float) -> Float {
        Float(bitPattern: UInt32(ck_bf16_from_float(value)) << 16)
    }
}
