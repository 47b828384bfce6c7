import DriftCore

/// OCP microscaling FP4 (MXFP4), the format gpt-oss checkpoints ship their experts in, dequantized exactly as
/// transformers' `convert_moe_packed_tensors` does it.
///
/// A tensor `name` is stored as `name_blocks` (`… × rows × groups × 16` bytes, two FP4 E2M1 values per byte: element
/// `2i` of a 32-value block in the low nibble of byte `i`, element `2i + 1` in the high one) and `name_scales`
/// (`… × rows × groups` bytes, each an E8M0 exponent: the block is multiplied by `2^(scale − 127)`). Every value of
/// the format is a float32, so dequantization is exact.
package enum MXFP4 {
    /// The value of each FP4 E2M1 code (bit 3 the sign, then two exponent bits and one mantissa bit).
    package static let values: [Float] = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.0, -0.5, -1, -1.5, -2, -3, -4, -6]

    /// Values per block, one scale each.
    package static let blockSize = 32

    /// The `rows × groups · 32` values of `rows` rows of `groups` blocks, row-major.
    ///
    /// - Parameters:
    ///   - blocks: `rows · groups · 16` packed bytes.
    ///   - scales: `rows · groups` exponent bytes.
    package static func dequantize(blocks: [UInt8], scales: [UInt8], rows: Int, groups: Int) -> [Float] {
        precondition(blocks.count == rows * groups * 16 && scales.count == rows * groups, "MXFP4 sizes disagree")
        var out = [Float](repeating: 0, count: rows * groups * blockSize)
        out.withUnsafeMutableBufferPointer { out in
            for block in 0..<(rows * groups) {
                let exponent = Int(scales[block]) - 127
                let target = block * blockSize
                for i in 0..<16 {
                    let byte = blocks[block * 16 + i]
                    out[target + 2 * i] = Float(sign: .plus, exponent: exponent, significand: values[Int(byte & 0x0F)])
                    out[target + 2 * i + 1] = Float(
                        sign: .plus, exponent: exponent, significand: values[Int(byte >> 4)])
                }
            }
        }
        return out
    }
}

extension HuggingFaceWeights {
    /// Whether tensor `name` (after the prefix) is stored as MXFP4 (`name_blocks` and `name_scales`).
    package func hasMXFP4(_ name: String) -> Bool {
        store.info(prefix + name + "_blocks") != nil
    }

    /// The MXFP4 tensor `name` (`name_blocks`, `name_scales`) of `experts` stacked `rows × columns` matrices, read
    /// packed: the closure dequantizes expert e's matrix (float32, as transformers holds it before its final
    /// transpose: `nn.Linear` layout).
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the tensor when either part is missing, is not `U8`, or has a shape
    ///   other than `experts × rows × columns/32 × 16` (blocks) and `experts × rows × columns/32` (scales).
    package func mxfp4Experts(
        _ name: String, experts: Int, rows: Int, columns: Int
    ) throws -> (Int) -> [Float] {
        let groups = columns / MXFP4.blockSize
        guard columns % MXFP4.blockSize == 0 else {
            throw DriftError(
                .corruptFile,
                "tensor '\(prefix + name)_blocks' is MXFP4, but its rows have \(columns) values, not a multiple of 32",
                path: path)
        }
        let blocks = try bytes(name + "_blocks", [experts, rows, groups, 16])
        let scales = try bytes(name + "_scales", [experts, rows, groups])
        let perExpert = rows * groups
        return { e in
            MXFP4.dequantize(
                blocks: Array(blocks[(e * perExpert * 16)..<((e + 1) * perExpert * 16)]),
                scales: Array(scales[(e * perExpert)..<((e + 1) * perExpert)]), rows: rows, groups: groups)
        }
    }

    /// The bytes of the `U8` tensor `name` (after the prefix), after checking its shape.
    private func bytes(_ name: String, _ shape: [Int]) throws -> [UInt8] {
        if let info = store.info(prefix + name), info.typeName != TensorDataType.uint8.rawValue {
            throw DriftError(
                .corruptFile, "tensor '\(prefix + name)' is \(info.typeName); MXFP4 blocks and scales are U8",
                path: path)
        }
        return try tensor(name, shape).map { UInt8($0) }
    }
}
