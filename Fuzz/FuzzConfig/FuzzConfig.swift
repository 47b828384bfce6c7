import DriftModels
import Foundation

/// libFuzzer target: a Hugging Face `config.json` — decode it and read it as a model configuration.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let json = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes: start, count: count)) else { return 0 }
    _ = try? ModelConfiguration(json: json, path: "config.json")
    return 0
}
