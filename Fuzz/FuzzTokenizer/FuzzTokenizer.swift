import DriftModels
import Foundation

/// libFuzzer target: a `tokenizer.json` — parse it into a tokenizer, then encode fixed texts and the input's own
/// tail (so that the texts exercise the patterns the file defines).
private let texts = [
    "The concept of Muslim is", "  héllo\tWORLD's 12345 ünïcödé 🙂\n\r\n", "<s>[CLS] added tokens </s>", "",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    guard let tokenizer = try? TokenizerLoader.load(tokenizerJSONData: data, path: "tokenizer.json") else { return 0 }
    for text in texts + [String(decoding: data.suffix(64), as: UTF8.self)] {
        _ = try? tokenizer.encode(text, addSpecialTokens: true)
        _ = try? tokenizer.encode(text, addSpecialTokens: false)
    }
    return 0
}
