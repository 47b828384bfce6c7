import DriftModels
import Foundation

/// libFuzzer target: a vocabulary file, as JSON and as CSV (`term,category` lines).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVocabulary(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    _ = try? Vocabulary.parseJSON(data, defaultName: "fuzz", path: "fuzz.json")
    if let text = String(data: data, encoding: .utf8) {
        _ = try? Vocabulary.parseDelimited(text, name: "fuzz", path: "fuzz.csv")
    }
    return 0
}
