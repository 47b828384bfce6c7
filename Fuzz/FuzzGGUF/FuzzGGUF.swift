import DriftModels
import Foundation

/// libFuzzer target: a GGUF file — fingerprint it, open it (header, metadata, tensor directory), decode up to 8
/// tensors, and build its tokenizer from the metadata and encode a short text.
private let path = FileManager.default.temporaryDirectory.appendingPathComponent(
    "fuzz-gguf-\(ProcessInfo.processInfo.processIdentifier).gguf"
).path

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count)) else { return 0 }
    _ = try? ModelFiles.inspect(URL(fileURLWithPath: path))
    guard let file = try? GGUFFile(path: path) else { return 0 }
    for entry in file.metadata.prefix(64) { _ = entry.value.summary }
    for tensor in file.tensors.prefix(8) { _ = try? file.floats(tensor.name) }
    if let metadata = try? GGUFTokenizerMetadata(gguf: file), let tokenizer = try? metadata.makeTokenizer(path: path) {
        _ = try? tokenizer.encode("The concept of démocratie is 42!", addSpecialTokens: true)
    }
    return 0
}
