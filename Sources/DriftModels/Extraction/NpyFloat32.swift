import Foundation

/// The bytes of a numpy `.npy` file (format 1.0, `<f4`, C order) holding `values` with `shape`, byte-identical to
/// `np.save` of a float32 array. (A stop-gap until DriftCore's general `.npy` I/O lands; only float32 is written.)
package enum NpyFloat32 {
    /// The file's bytes: magic, version, header length, the header dict padded with spaces to a multiple of 64
    /// bytes and ended by a newline, then the little-endian elements.
    package static func fileData(shape: [Int], values: [Float]) -> Data {
        precondition(shape.reduce(1, *) == values.count, "npy shape does not match the element count")
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 0x01, 0x00])
        let length = UInt16(header.utf8.count)
        data.append(UInt8(length & 0xFF))
        data.append(UInt8(length >> 8))
        data.append(contentsOf: header.utf8)
        data.reserveCapacity(data.count + values.count * 4)
        values.withUnsafeBufferPointer { buffer in
            #if _endian(little)
            data.append(UnsafeBufferPointer(start: UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: UInt8.self), count: buffer.count * 4))
            #else
            for value in buffer {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
            #endif
        }
        return data
    }
}
