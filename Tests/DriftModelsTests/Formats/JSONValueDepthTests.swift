import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// `JSONValue.parse` bounds the nesting depth before decoding: the decoder's time grows faster than the depth, and a
/// fuzzed safetensors header nested a few hundred levels took seconds (`Scripts/fuzz.sh safetensors`).
@Suite struct JSONValueDepthTests {
    /// `{"a": [[…]]}` (or `{"a": {"k": {"k": … 1}}}`) with `depth` levels in all, the outer object included.
    static func nested(_ depth: Int, objects: Bool = false) -> Data {
        let inner = depth - 1
        let text =
            objects
            ? "{\"a\":" + String(repeating: "{\"k\":", count: inner) + "1" + String(repeating: "}", count: inner) + "}"
            : "{\"a\":" + String(repeating: "[", count: inner) + String(repeating: "]", count: inner) + "}"
        return Data(text.utf8)
    }

    @Test(arguments: [false, true])
    func theMaximumDepthParses(objects: Bool) throws {
        let value = try JSONValue.parse(Self.nested(JSONValue.maximumDepth, objects: objects), path: "x.json")
        #expect(value["a"] != nil)
    }

    @Test(arguments: [false, true])
    func deeperNestingIsRefusedAtOnce(objects: Bool) throws {
        for depth in [JSONValue.maximumDepth + 1, 400, 511, 30_000] {
            let clock = ContinuousClock()
            let start = clock.now
            let error = #expect(throws: DriftError.self) {
                try JSONValue.parse(Self.nested(depth, objects: objects), path: "x.json", what: "safetensors header")
            }
            #expect(error?.kind == .corruptFile)
            #expect(error?.description.contains("nested more than \(JSONValue.maximumDepth) levels deep") == true)
            // Before the bound, depth 511 took over 3 s of CPU in the fuzzing build; the scan is one pass.
            #expect(clock.now - start < .seconds(1), "depth \(depth)")
        }
    }

    @Test func bracketsInStringsAndEscapedQuotesDoNotCount() throws {
        let deepText = String(repeating: "[{", count: 200)
        let text = "{\"a\":\"\(deepText)\",\"b\":\"\\\"[[[\\\\\",\"c\":[1]}"
        let value = try JSONValue.parse(Data(text.utf8), path: nil)
        #expect(value["a"]?.stringValue == deepText)
        #expect(value["b"]?.stringValue == "\"[[[\\")
        #expect(value["c"] == .array([.integer(1)]))
    }

    /// The input the fuzzer timed out on, rebuilt: refused as not JSON in milliseconds.
    ///
    /// `timeout-7089065f…` (64 KiB) is a flat 4 KB header of 30-odd tensors with one offset written with a leading
    /// zero, then the data; the timeout came from the loaded machine, not from the parser.
    @Test func theTimedOutHeaderIsRefusedQuickly() throws {
        var entries = ["\"__metadata__\":{\"format\":\"pt\"}"]
        var offset = 0
        for layer in 0..<36 {
            let size = 3_072
            let start = layer == 35 ? "0\(offset)" : "\(offset)"
            entries.append(
                "\"model.layers.\(layer).mlp.up_proj.weight\":{\"dtype\":\"BF16\",\"shape\":[32,48],"
                    + "\"data_offsets\":[\(start),\(offset + size)]}")
            offset += size
        }
        let header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        var bytes = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) } + header
        bytes += [UInt8](repeating: 0x3D, count: max(0, 65_536 - bytes.count))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("timeout-\(UUID()).safetensors")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: DriftError.self) { try SafetensorsFile(path: url.path) }
        #expect(error?.description.contains("corrupt safetensors header: not valid JSON") == true)
        #expect(clock.now - start < .seconds(1))
    }
}
