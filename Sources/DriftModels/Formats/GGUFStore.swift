import DriftCore

/// The tensors of a GGUF file as a ``TensorStore``: shapes outermost first (the reverse of GGUF's `ne`), values as
/// float32 for F32, F16, BF16 (and F64, I8…I64) and the block-quantized types ``GGMLDequantizer`` decodes (Q4_0 … Q6_K).
///
/// Names are llama.cpp's; ``GGUFModelStore`` presents a GGUF model under transformers' names for the runtime.
public final class GGUFStore: TensorStore {
    /// The file.
    public let file: GGUFFile
    /// Every tensor, in file order.
    public let tensors: [TensorInfo]

    /// Opens the GGUF file at `path`.
    ///
    /// - Throws: ``DriftCore/DriftError`` when the file is missing or not a valid GGUF file.
    public convenience init(path: String) throws {
        self.init(file: try GGUFFile(path: path))
    }

    /// Wraps an opened file.
    public init(file: GGUFFile) {
        self.file = file
        self.tensors = file.tensors.map(\.info)
    }

    public func info(_ name: String) -> TensorInfo? {
        file.tensor(name)?.info
    }

    public func floats(_ name: String) throws -> [Float] {
        try file.floats(name)
    }

    /// Decodes tensor `name` into `destination`, which must hold exactly its element count.
    package func copyFloats(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws {
        try file.copyFloats(name, into: destination)
    }

    /// Drops tensor `name`'s mapped pages once it has been converted.
    package func releasePages(_ name: String) {
        file.releasePages(name)
    }
}
