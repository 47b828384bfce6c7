import DriftCore
import Foundation

/// libFuzzer target: a `.npy` file — parse the header and read the values.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNpy(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let array = try? NumpyArray(npyData: Data(bytes: start, count: count), path: "fuzz.npy") else { return 0 }
    if array.elementType.isFloatingPoint { _ = array.floatValues() }
    return 0
}
