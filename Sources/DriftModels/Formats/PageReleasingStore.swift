/// A tensor store backed by memory-mapped files that can drop a tensor's mapped pages from the resident set once the
/// tensor has been converted, so that streaming a model larger than memory does not accumulate the files' pages.
package protocol PageReleasingStore: TensorStore {
    /// Drops tensor `name`'s mapped pages (nothing when there is no such tensor).
    func releasePages(_ name: String)
}

extension SafetensorsStore: PageReleasingStore {}

extension QuantizedTensorStore: PageReleasingStore {
    /// Forwards to the base store when it is memory-mapped (the quantized view keeps the base store's names).
    package func releasePages(_ name: String) {
        (base as? any PageReleasingStore)?.releasePages(name)
    }
}
