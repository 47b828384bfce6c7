import DriftCore

extension GGMLType {
    /// The type with ggml id `id`.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.unsupported`) when ggml defines no type with that id.
    public init(id: UInt32) throws {
        guard let type = GGMLType(rawValue: id) else {
            throw DriftError(.unsupported, "unknown GGML tensor type id \(id)")
        }
        self = type
    }

    /// The type named `name` as ggml and gguf-py spell it (`Q4_K`, `F16`, …; case-insensitive).
    public init?(name: String) {
        let upper = name.uppercased()
        guard let type = GGMLType.allCases.first(where: { $0.name == upper }) else { return nil }
        self = type
    }

    /// Whether ``GGMLDequantizer`` can turn this type into float32.
    public var canDequantize: Bool {
        switch self {
        case .f32, .f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .mxfp4: true
        default: false
        }
    }

    /// The number of bytes `elementCount` values of this type occupy.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.corruptFile`) when `elementCount` is negative, not a whole number of
    ///   blocks, or the byte count overflows.
    public func byteCount(elementCount: Int) throws -> Int {
        guard elementCount >= 0, elementCount % blockSize == 0 else {
            throw DriftError(
                .corruptFile, "\(elementCount) values are not a whole number of \(name) blocks of \(blockSize)")
        }
        let (bytes, overflow) = (elementCount / blockSize).multipliedReportingOverflow(by: bytesPerBlock)
        guard !overflow else { throw DriftError(.corruptFile, "\(elementCount) \(name) values overflow a byte count") }
        return bytes
    }
}
