import DriftCore
import Foundation

/// Tight conversion loops from stored tensor encodings to float32, shared by the file readers.
package enum FloatConversion {
    /// Element counts above this are converted on every worker thread.
    static let parallelThreshold = 1 << 18

    /// Converts `count` elements of `type` starting at `source` (any alignment) into `destination`.
    ///
    /// Integers and booleans become their numeric value; float64 is rounded to the nearest float32.
    package static func convert(
        _ source: UnsafeRawPointer, type: TensorDataType, count: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        guard count > 0 else { return }
        if count < parallelThreshold {
            convertRange(source, type: type, range: 0..<count, into: destination)
            return
        }
        Parallel.forEachChunk(count, minimumChunk: parallelThreshold / 2) { range in
            convertRange(source, type: type, range: range, into: destination)
        }
    }

    /// Converts `count` elements on the calling thread (the caller spreads work over threads itself).
    package static func convertSerially(
        _ source: UnsafeRawPointer, type: TensorDataType, count: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        guard count > 0 else { return }
        convertRange(source, type: type, range: 0..<count, into: destination)
    }

    /// The float32 value of every binary16 bit pattern (built once, on first use; 256 KiB).
    static let float16Table: [Float] = (0...UInt16.max).map { HalfPrecision.float(fromFloat16: $0) }

    /// Converts into a new array of `count` floats.
    package static func floats(_ source: UnsafeRawPointer, type: TensorDataType, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let destination = buffer.baseAddress { convert(source, type: type, count: count, into: destination) }
            initialized = count
        }
    }

    private static func convertRange(
        _ source: UnsafeRawPointer, type: TensorDataType, range: Range<Int>,
        into destination: UnsafeMutablePointer<Float>
    ) {
        let out = destination + range.lowerBound
        let n = range.count
        switch type {
        case .float32:
            memcpy(out, source + range.lowerBound * 4, n * 4)
        case .float16:
            // A 65,536-entry table: without F16C (the default x86-64 target) a table read beats the bit-by-bit
            // conversion several times over, and it is exact.
            let start = source + range.lowerBound * 2
            Self.float16Table.withUnsafeBufferPointer { table in
                guard let lookup = table.baseAddress else { return }
                if Int(bitPattern: start) % 2 == 0 {
                    let halves = start.assumingMemoryBound(to: UInt16.self)
                    for i in 0..<n { out[i] = lookup[Int(halves[i])] }
                } else {
                    for i in 0..<n { out[i] = lookup[Int(start.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))] }
                }
            }
        case .bfloat16:
            let start = source + range.lowerBound * 2
            if Int(bitPattern: start) % 2 == 0 {
                HalfPrecision.convertBFloat16(start.assumingMemoryBound(to: UInt16.self), to: out, count: n)
            } else {
                for i in 0..<n {
                    out[i] = HalfPrecision.float(
                        fromBFloat16: start.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                }
            }
        case .float64:
            let start = source + range.lowerBound * 8
            for i in 0..<n { out[i] = Float(start.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)) }
        case .int8:
            let start = source + range.lowerBound
            for i in 0..<n { out[i] = Float(start.load(fromByteOffset: i, as: Int8.self)) }
        case .uint8:
            let start = source + range.lowerBound
            for i in 0..<n { out[i] = Float(start.load(fromByteOffset: i, as: UInt8.self)) }
        case .bool:
            let start = source + range.lowerBound
            for i in 0..<n { out[i] = start.load(fromByteOffset: i, as: UInt8.self) != 0 ? 1 : 0 }
        case .int16:
            let start = source + range.lowerBound * 2
            for i in 0..<n {
                out[i] = Float(Int16(littleEndian: start.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)))
            }
        case .int32:
            let start = source + range.lowerBound * 4
            for i in 0..<n {
                out[i] = Float(Int32(littleEndian: start.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
            }
        case .int64:
            let start = source + range.lowerBound * 8
            for i in 0..<n {
                out[i] = Float(Int64(littleEndian: start.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
            }
        }
    }
}

extension TensorDataType {
    /// Bytes per element.
    package var byteSize: Int {
        switch self {
        case .float32, .int32: return 4
        case .float16, .bfloat16, .int16: return 2
        case .float64, .int64: return 8
        case .int8, .uint8, .bool: return 1
        }
    }
}
