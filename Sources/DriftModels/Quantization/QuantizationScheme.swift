import DriftCore

/// A quantization applied on the fly to a full-precision model, written `<model>@<scheme>`.
///
/// Every scheme quantizes a weight and dequantizes it back to float32 (what bitsandbytes and llama.cpp compute with);
/// ``QuantizedTensorStore`` applies it to the linear weights inside the blocks.
public enum QuantizationScheme: String, CaseIterable, Sendable {
    /// bitsandbytes 4-bit NormalFloat, blocks of 64, double-quantized absmax (transformers' `nf4` setting).
    case nf4
    /// bitsandbytes 4-bit float (e2m1), blocks of 64, double-quantized absmax.
    case fp4
    /// Row-wise absmax int8 (LLM.int8 without the outlier decomposition).
    case int8
    /// llama.cpp Q8_0: blocks of 32, fp16 scale, 8-bit values.
    case q8_0
    /// llama.cpp Q4_0: blocks of 32, fp16 scale, 4-bit values.
    case q4_0
    /// llama.cpp Q4_K: super-blocks of 256 with 6-bit scales and mins.
    case q4_k
    /// llama.cpp Q6_K: super-blocks of 256 with 8-bit scales.
    case q6_k

    /// Parses a scheme name (case-insensitive).
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) naming the known schemes when `text` is none of them.
    public init(parsing text: String) throws {
        guard let scheme = QuantizationScheme(rawValue: text.lowercased()) else {
            let known = QuantizationScheme.allCases.map(\.rawValue).joined(separator: ", ")
            throw DriftError(.invalidArgument, "unknown quantization scheme '\(text)'; known schemes: \(known)")
        }
        self = scheme
    }

    /// Splits a model reference `<model>@<scheme>` into the model and its scheme (nil when there is no `@scheme`).
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) for an unknown scheme or an empty model.
    public static func split(_ reference: String) throws -> (model: String, scheme: QuantizationScheme?) {
        guard let at = reference.lastIndex(of: "@") else { return (reference, nil) }
        let suffix = String(reference[reference.index(after: at)...])
        if suffix.contains("/") { return (reference, nil) }  // an `@` inside a path, not a scheme
        let model = String(reference[..<at])
        guard !model.isEmpty else { throw DriftError(.invalidArgument, "'\(reference)' names no model before '@'") }
        return (model, try QuantizationScheme(parsing: suffix))
    }

    /// One line for `--help`.
    public var summary: String {
        switch self {
        case .nf4:
            "bitsandbytes 4-bit NormalFloat as transformers applies it (blocks of 64, double-quantized absmax)"
        case .fp4: "bitsandbytes 4-bit float (blocks of 64, double-quantized absmax)"
        case .int8: "row-wise absmax int8 as load_in_8bit applies it (LLM.int8 without the outlier decomposition)"
        case .q8_0: "llama.cpp Q8_0 (8-bit, blocks of 32), reference quantizer"
        case .q4_0: "llama.cpp Q4_0 (4-bit, blocks of 32), reference quantizer"
        case .q4_k: "llama.cpp Q4_K (4-bit super-blocks of 256; rows not a multiple of 256 fall back to Q5_0)"
        case .q6_k: "llama.cpp Q6_K (6-bit super-blocks of 256; rows not a multiple of 256 fall back to Q8_0)"
        }
    }

    /// All schemes with their one-line descriptions, one per line, for `--help`.
    public static var helpText: String {
        allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "\n")
    }

    /// The GGML type a llama.cpp scheme stores a weight with rows of `rowLength` values in (with llama.cpp's
    /// fallbacks when the row is not a whole number of blocks), or nil for the bitsandbytes schemes.
    public func ggmlType(rowLength: Int) -> GGMLType? {
        let candidates: [GGMLType]
        switch self {
        case .nf4, .fp4, .int8: return nil
        case .q8_0: candidates = [.q8_0]
        case .q4_0: candidates = [.q4_0]
        case .q4_k: candidates = [.q4_K, .q5_0]
        case .q6_k: candidates = [.q6_K, .q8_0]
        }
        return candidates.first { rowLength % $0.blockSize == 0 } ?? .f16
    }

    /// How ``TensorInfo/typeName`` reports a weight of `shape` under this scheme (`nf4`, `q4_k`, or `q4_k→Q5_0` when
    /// llama.cpp's fallback applies).
    public func typeName(shape: [Int]) -> String {
        guard let type = ggmlType(rowLength: shape.last ?? 1) else { return rawValue }
        return type.name.lowercased() == rawValue ? rawValue : "\(rawValue)→\(type.name)"
    }

    /// Quantizes then dequantizes `values`, a row-major tensor of `shape` (rows along the last dimension).
    ///
    /// - Returns: float32 values of the same count.
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) when the count disagrees with the shape.
    public func roundTrip(_ values: [Float], shape: [Int]) throws -> [Float] {
        var count = 1
        var overflow = false
        for dimension in shape where !overflow {
            (count, overflow) = count.multipliedReportingOverflow(by: dimension)
        }
        guard !overflow, count == values.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw DriftError(.invalidArgument, "\(values.count) values do not fill a tensor of shape \(shape)")
        }
        let rowLength = shape.last ?? 1
        switch self {
        case .nf4: return BitsAndBytes4Bit.roundTrip(values, kind: .nf4)
        case .fp4: return BitsAndBytes4Bit.roundTrip(values, kind: .fp4)
        case .int8: return RowwiseInt8.roundTrip(values, rowLength: max(1, rowLength))
        case .q8_0, .q4_0, .q4_k, .q6_k:
            let type = ggmlType(rowLength: rowLength) ?? .f16
            if type == .f16 {
                return values.map { HalfPrecision.float(fromFloat16: HalfPrecision.float16(from: $0)) }
            }
            let bytes = try GGMLQuantizer.quantize(values, type: type)
            return try GGMLDequantizer.dequantize(bytes, type: type, elementCount: values.count)
        }
    }
}
