/// Row-wise absmax int8 quantization: LLM.int8's weight quantization without the outlier decomposition
/// (bitsandbytes `int8_vectorwise_quant` with threshold 0, then `int8_vectorwise_dequant`).
///
/// Per row (the last dimension): `q = round_half_even(x * (127 / absmax))`, dequantized as
/// `(q * absmax) * float32(1/127)`. A row of zeros stays zero.
package enum RowwiseInt8 {
    /// bitsandbytes' reciprocal of 127, as the float32 it multiplies by.
    package static let reciprocal127 = Float(7.874015718698502e-3)

    /// Quantizes `values` (rows of `rowLength`) to int8 codes, and returns them with each row's absmax.
    package static func quantize(_ values: UnsafeBufferPointer<Float>, rowLength: Int) -> (
        codes: [Int8], absmax: [Float]
    ) {
        guard rowLength > 0 else { return ([], []) }
        let rows = values.count / rowLength
        var codes = [Int8](repeating: 0, count: values.count)
        var absmax = [Float](repeating: 0, count: rows)
        for r in 0..<rows {
            let row = r * rowLength
            var largest: Float = 0
            for i in row..<(row + rowLength) { largest = max(largest, abs(values[i])) }
            absmax[r] = largest
            guard largest > 0 else { continue }
            let scale = 127 / largest
            for i in row..<(row + rowLength) {
                let q = (values[i] * scale).rounded(.toNearestOrEven)
                codes[i] = q.isNaN ? 0 : Int8(max(-127, min(127, q)))
            }
        }
        return (codes, absmax)
    }

    /// Quantizes then dequantizes `values` (rows of `rowLength`).
    package static func roundTrip(_ values: [Float], rowLength: Int) -> [Float] {
        let (codes, absmax) = values.withUnsafeBufferPointer { quantize($0, rowLength: rowLength) }
        var result = [Float](repeating: 0, count: values.count)
        for i in 0..<values.count {
            result[i] = (Float(codes[i]) * absmax[i / rowLength]) * reciprocal127
        }
        return result
    }
}
