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
        if let rows = b.inPlace {
            multiply(a, m: m, lda: lda, byRows: rows, into: output, ldc: ldc)
            return
        }
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

    /// `c = bf16(a) · bᵀ` for a weight read in place: `a` packed once, then each part's rows, threaded over groups of
    /// `CK_BF16_ROWS_STEP` rows across all parts.
    private static func multiply(
        _ a: UnsafePointer<Float>, m: Int, lda: Int, byRows b: BF16Rows, into c: UncheckedPointer<Float>, ldc: Int
    ) {
        let k = b.columns
        let step = Int(CK_BF16_ROWS_STEP)
        let width = ck_bf16_rows_panel_width(m)
        // Group g of the whole range is group g - firstGroup[i] of part i; column firstColumn[i] of C is its row 0.
        var firstGroup: [Int] = []
        var firstColumn: [Int] = []
        var groups = 0
        var columns = 0
        for part in b.parts {
            firstGroup.append(groups)
            firstColumn.append(columns)
            groups += (part.rows + step - 1) / step
            columns += part.rows
        }
        PanelProduct.run(
            packedCount: ck_bf16_rows_packed_a_count(m, k), rowPanels: (m + width - 1) / width, columnPanels: groups,
            pack: { packedA, panels in
                ck_bf16_rows_pack_a(a, lda, m, k, packedA, panels.lowerBound, panels.upperBound)
            },
            multiply: { packedA, range in
                for (index, part) in b.parts.enumerated() {
                    let partGroups = firstGroup[index]..<(firstGroup[index] + (part.rows + step - 1) / step)
                    let mine = partGroups.clamped(to: range)
                    guard !mine.isEmpty else { continue }
                    let begin = (mine.lowerBound - partGroups.lowerBound) * step
                    let end = min(part.rows, (mine.upperBound - partGroups.lowerBound) * step)
                    ck_bf16_rows_gemm(
                        packedA, part.values, k, c.pointer + firstColumn[index], ldc, m, k, begin, end)
                }
            })
    }

    /// Round-to-nearest-even float32 → bf16 → float32, the rounding the packers apply (for references and tests).
    package static func rounded(_ value: Float) -> Float {
        Float(bitPattern: UInt32(ck_bf16_from_float(value)) << 16)
    }
}
