/// A tensor store backed by memory-mapped files that can drop a tensor's mapped pages from the resident set once the
/// tensor has been converted, so that streaming a model larger than memory does not accumulate the files' pages.
package protocol PageReleasingStore: TensorStore {
    /// Drops tensor `name`'s mapped pages (nothing when there is no such tensor).
    func releasePages(_ name: String)
}

/// A tensor store that converts a tensor straight into memory the caller owns (the model's float32 copy), with no
/// intermediate array: one copy of each weight, never two.
package protocol TensorFillingStore: TensorStore {
    /// Converts tensor `name` to float32 into `destination`, which must hold exactly its element count; equal to
    /// ``TensorStore/floats(_:)`` value for value.
    func copyFloats(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws
}

extension SafetensorsStore: PageReleasingStore, TensorFillingStore {}
extension GGUFStore: PageReleasingStore, TensorFillingStore {}
extension GGUFModelStore: PageReleasingStore, TensorFillingStore {}

extension QuantizedTensorStore: PageReleasingStore {
    /// Forwards to the base store when it is memory-mapped (the quantized view keeps the base store's names).
    package func releasePages(_ name: String) {
        (base as? any PageReleasingStore)?.releasePages(name)
    }
}
