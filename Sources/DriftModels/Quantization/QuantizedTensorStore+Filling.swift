import DriftCore

extension QuantizedTensorStore: TensorFillingStore {
    /// A tensor the scheme leaves alone (the token table, norms, the LM head) goes straight from a base store that can
    /// fill into `destination`; a quantized one is rounded through the scheme, then copied.
    package func copyFloats(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws {
        if let info = info(name), !Self.isQuantized(info), let direct = base as? any TensorFillingStore {
            try direct.copyFloats(name, into: destination)
            return
        }
        let values = try floats(name)
        guard values.count == destination.count else {
            throw DriftError(
                .corruptFile, "tensor '\(name)' gave \(values.count) values, expected \(destination.count)")
        }
        _ = destination.initialize(from: values)
    }
}
