import DriftModels
import Foundation

/// libFuzzer target: a safetensors file (header and data) — fingerprint it, open it and decode up to 8 tensors.
private let path = FileManager.default.temporaryDirectory.appendingPathComponent(
    "fuzz-safetensors-\(ProcessInfo.processInfo.processIdentifier).safetensors"
).path

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count)) else { return 0 }
    _ = try? ModelFiles.inspect(URL(fileURLWithPath: path))
    guard let file = try? SafetensorsFile(path: path) else { return 0 }
    for tensor in file.tensors.prefix(8) { _ = try? file.floats(tensor.name) }
    return 0
}
