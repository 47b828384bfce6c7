import DriftCore

/// Turns GGML tensor bytes (plain or block-quantized) into float32, exactly as ggml's `dequantize_row_*` and
/// gguf-py's `gguf.quants.dequantize` do.
///
/// Supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K (see
/// ``GGMLType/canDequantize``). Large tensors are split over threads by whole blocks.
public enum GGMLDequantizer {
    /// Tensors with at least this many values are dequantized on several threads.
    package static let parallelThreshold = 1 << 16

    /// Dequantizes `elementCount` values of `type` from `bytes` into `destination`.
    ///
    /// - Parameters:
    ///   - bytes: the tensor's raw bytes, exactly `type.byteCount(elementCount:)` of them (little-endian).
    ///   - type: the GGML element type.
    ///   - elementCount: the number of values (a multiple of `type.blockSize`).
    ///   - destination: room for at least `elementCount` floats; values are written in storage order.
    /// - Throws: ``DriftCore/DriftError``: `.unsupported` for a type that cannot be dequantized; `.corruptFile` when
    ///   the byte count disagrees with the type and element count; `.invalidArgument` when `destination` is too small.
    public static func dequantize(
        _ bytes: UnsafeRawBufferPointer, type: GGMLType, elementCount: Int,
        into destination: UnsafeMutableBufferPointer<Float>
    ) throws {
        guard type.canDequantize else {
            throw DriftError(.unsupported, "dequantization of GGML type \(type.name) is not supported")
        }
        let expected = try type.byteCount(elementCount: elementCount)
        guard bytes.count == expected else {
            throw DriftError(
                .corruptFile,
                "\(elementCount) \(type.name) values need \(expected) bytes, found \(bytes.count)")
        }
        guard destination.count >= elementCount else {
            throw DriftError(
                .invalidArgument, "destination holds \(destination.count) floats, \(elementCount) needed")
        }
        guard elementCount > 0, let source = bytes.baseAddress, let output = destination.baseAddress else { return }
        let blockCount = elementCount / type.blockSize
        let kernel = GGMLDequantizer.kernel(for: type)
        let bytesPerBlock = type.bytesPerBlock
        let blockSize = type.blockSize
        if elementCount < parallelThreshold {
            kernel(source, output, blockCount)
            return
        }
        let minimumChunk = max(1, parallelThreshold / 4 / blockSize)
        Parallel.forEachChunk(blockCount, minimumChunk: minimumChunk) { blocks in
            kernel(
                source + blocks.lowerBound * bytesPerBlock, output + blocks.lowerBound * blockSize, blocks.count)
        }
    }

    /// Dequantizes `elementCount` values of `type` from `bytes` into a new array (see
    /// ``dequantize(_:type:elementCount:into:)``).
    public static func dequantize(_ bytes: UnsafeRawBufferPointer, type: GGMLType, elementCount: Int) throws -> [Float]
    {
        guard elementCount >= 0 else { throw DriftError(.corruptFile, "negative element count \(elementCount)") }
        // Validate before allocating: the byte count bounds the element count.
        _ = try validated(bytes.count, type: type, elementCount: elementCount)
        return try [Float](unsafeUninitializedCapacity: elementCount) { buffer, initialized in
            try dequantize(bytes, type: type, elementCount: elementCount, into: buffer)
            initialized = elementCount
        }
    }

    /// Dequantizes `elementCount` values of `type` from a byte array (see ``dequantize(_:type:elementCount:into:)``).
    public static func dequantize(_ bytes: [UInt8], type: GGMLType, elementCount: Int) throws -> [Float] {
        try bytes.withUnsafeBytes { try dequantize($0, type: type, elementCount: elementCount) }
    }

    private static func validated(_ byteCount: Int, type: GGMLType, elementCount: Int) throws -> Int {
        guard type.canDequantize else {
            throw DriftError(.unsupported, "dequantization of GGML type \(type.name) is not supported")
        }
        let expected = try type.byteCount(elementCount: elementCount)
        guard byteCount == expected else {
            throw DriftError(
                .corruptFile, "\(elementCount) \(type.name) values need \(expected) bytes, found \(byteCount)")
        }
        return expected
    }

    /// A kernel dequantizes `blocks` consecutive blocks from `source` into `destination`.
    typealias Kernel = (_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ blocks: Int) -> Void

    static func kernel(for type: GGMLType) -> Kernel {
        switch type {
        case .f32: return dequantizeF32
        case .f16: return dequantizeF16
        case .bf16: return dequantizeBF16
        case .q4_0: return dequantizeQ4_0
        case .q4_1: return dequantizeQ4_1
        case .q5_0: return dequantizeQ5_0
        case .q5_1: return dequantizeQ5_1
        case .q8_0: return dequantizeQ8_0
        case .q2_K: return dequantizeQ2_K
        case .q3_K: return dequantizeQ3_K
        case .q4_K: return dequantizeQ4_K
        case .q5_K: return dequantizeQ5_K
        case .q6_K: return dequantizeQ6_K
        case .mxfp4: return dequantizeMXFP4
        default: return { _, _, _ in }  // unreachable: guarded by `canDequantize`
        }
    }
}
