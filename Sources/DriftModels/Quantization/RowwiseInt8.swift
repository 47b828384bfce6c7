/// Row-wise absmax int8 quantization: LLM.int8's weight quantization without the outlier decomposition, as
/// transformers' `load_in_8bit` applies it (bitsandbytes `Int8Params` casts the weight to float16, then
/// `int8_vectorwise_quant` with threshold 0; `int8_vectorwise_dequant` gives the weight computed with).
///
/// Per row (the last dimension), with `h` the float16-rounded weight: `q = round_half_even(h * scale)` where
/// `scale = (1 / absmax) * 127` (torch evaluates `127.0 / row_stats` as a reciprocal times 127), dequantized as
/// `(q * absmax) * float32(1/127)`. A row of zeros stays zero.
package enum RowwiseInt8 {
    /// bitsandbytes' reciprocal of 127, as the float32 it multiplies by.
    package static let reciprocal127 = Float(7.874015718698502e-3)

    /// Quantizes `values` (rows of `rowLength`) to int8 codes, and returns them with each row's absmax.
    package static func quantize(_ values: UnsafeBufferPointer<Float>, rowLength: Int) -> (
        codes: [Int8], absmax: [Float]
    ) {
        guard !values.isEmpty else { return ([], []) }
        // A length that does not divide the values makes the whole tensor one row.
        let rowLength = rowLength > 0 && values.count % rowLength == 0 ? rowLength : values.count
        let rows = values.count / rowLength
        var codes = [Int8](repeating: 0, count: values.count)
        var absmax = [Float](repeating: 0, count: rows)
        for r in 0..<rows {
            let row = r * rowLength
            var largest: Float = 0
            for i in row..<(row + rowLength) { largest = max(largest, abs(halfRounded(values[i]))) }
            absmax[r] = largest
            guard largest > 0 else { continue }
            let scale = (1 / largest) * 127
            for i in row..<(row + rowLength) {
                let q = (halfRounded(values[i]) * scale).rounded(.toNearestOrEven)
                codes[i] = q.isNaN ? 0 : Int8(max(-127, min(127, q)))
            }
        }
        return (codes, absmax)
    }

    /// Quantizes then dequantizes `values` (rows of `rowLength`).
    package static func roundTrip(_ values: [Float], rowLength: Int) -> [Float] {
        let (codes, absmax) = values.withUnsafeBufferPointer { quantize($0, rowLength: rowLength) }
        let rowLength = values.count / max(1, absmax.count)
        var result = [Float](repeating: 0, count: values.count)
        for i in 0..<values.count {
            result[i] = (Float(codes[i]) * absmax[i / rowLength]) * reciprocal127
        }
        return result
    }

    /// `value` rounded to float16 and back (the weight bitsandbytes quantizes).
    @inline(__always)
    static func halfRounded(_ value: Float) -> Float { halfToFloat(fp16Bits(value)) }
}
