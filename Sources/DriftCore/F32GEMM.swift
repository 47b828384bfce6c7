import CKernels

/// The float32 matrix product on AVX-512F, with the weight pre-packed or read where it lies.
///
/// `C = A · Bᵀ` where `B` is an ``F32PackedMatrix`` (packed once at load, from bf16 where its values all are bf16
/// numbers, widened exactly) or any row-major float32 weight in memory (`ck_f32_rows.c`). A BLAS library packs the
/// whole weight on every call; for a Mixture-of-Experts expert, whose product sees ~30 rows of a batch, that packing
/// costs as much as the arithmetic. Every element of `C` sums its products in increasing `k` order, in the same
/// depth blocks, whatever the threading, the rows of the product or the form of the weight: a packed weight and the
/// same weight read in place give the same bits. This type threads the kernels over ``Parallel``: the packing of `A`
/// over row panels, the product over panels (or groups of rows) of `B`.
package enum F32GEMM {
    /// Whether this CPU can run the product.
    package static var isAvailable: Bool { CPUFeatures.hasAVX512F }

    /// `c[m × n] = a[m × k] · bᵀ`, overwriting `c`.
    ///
    /// - Parameters:
    ///   - a: the activations, `m × k`, row stride `lda` (≥ k).
    ///   - b: the packed weight, `n = b.rows` rows × `k = b.columns` columns.
    ///   - c: the result, `m × n`, row stride `ldc` (≥ n).
    package static func multiply(
        _ a: UnsafePointer<Float>, m: Int, lda: Int, by b: F32PackedMatrix, into c: UnsafeMutablePointer<Float>,
        ldc: Int
    ) {
        precondition(isAvailable, "F32GEMM needs AVX-512F")
        precondition(lda >= b.columns && ldc >= b.rows, "row strides must cover the rows")
        guard m > 0, b.rows > 0 else { return }
        let k = b.columns
        let n = b.rows
        let output = UncheckedPointer(c)
        // Packs A over row panels, then runs `multiply` over column panels of B.
        func run(_ multiply: (UnsafePointer<Float>, Range<Int>) -> Void) {
            PanelProduct.run(
                packedCount: ck_f32_packed_a_count(m, k), rowPanels: (m + Int(CK_F32_MR) - 1) / Int(CK_F32_MR),
                columnPanels: (n + Int(CK_F32_NR) - 1) / Int(CK_F32_NR),
                pack: { packedA, panels in
                    ck_f32_pack_a(a, lda, m, k, packedA, panels.lowerBound, panels.upperBound)
                },
                multiply: multiply)
        }
        switch b.values {
        case .float32(let values):
            values.withUnsafeBufferPointer { packedB in
                guard let packedB = packedB.baseAddress else { return }
                run { packedA, panels in
                    ck_f32_gemm_panels(
                        packedA, packedB, output.pointer, ldc, m, n, k, panels.lowerBound, panels.upperBound)
                }
            }
        case .bfloat16(let values):
            values.withUnsafeBufferPointer { packedB in
                guard let packedB = packedB.baseAddress else { return }
                run { packedA, panels in
                    ck_f32_gemm_panels_bf16(
                        packedA, packedB, output.pointer, ldc, m, n, k, panels.lowerBound, panels.upperBound)
                }
            }
        }
    }

    /// `c[m × n] = a[m × k] · bᵀ` with `b` any row-major `n × k` float32 weight in memory (rows `ldb` apart),
    /// read where it lies: the same bits as ``multiply(_:m:lda:by:into:ldc:)`` on that weight packed.
    package static func multiply(
        _ a: UnsafePointer<Float>, m: Int, lda: Int, rows b: UnsafePointer<Float>, n: Int, k: Int, ldb: Int,
        into c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(isAvailable, "F32GEMM needs AVX-512F")
        precondition(lda >= k && ldb >= k && ldc >= n, "row strides must cover the rows")
        guard m > 0, n > 0 else { return }
        let output = UncheckedPointer(c)
        let weight = UncheckedPointer(UnsafeMutablePointer(mutating: b))
        let width = ck_f32_rows_panel_width(m)
        // Work is split in groups of 48 weight rows (eight 6-row tiles).
        let group = 48
        PanelProduct.run(
            packedCount: ck_f32_rows_packed_a_count(m, k), rowPanels: (m + width - 1) / width,
            columnPanels: (n + group - 1) / group,
            pack: { packedA, panels in
                ck_f32_rows_pack_a(a, lda, m, k, packedA, panels.lowerBound, panels.upperBound)
            },
            multiply: { packedA, groups in
                ck_f32_rows_gemm(
                    packedA, weight.pointer, ldb, output.pointer, ldc, m, k, groups.lowerBound * group,
                    min(groups.upperBound * group, n))
            })
    }
}
