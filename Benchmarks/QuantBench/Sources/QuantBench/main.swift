import DriftCore
import DriftModels
import Foundation

// Throughput of GGML dequantization (per type, 1 and 2 threads) and of the on-the-fly quantizers.
// With a folder written by dump_gguf_tensors.py as argument, real tensors are also checked bit for bit against gguf-py.

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func bench(_ label: String, bytes: [UInt8], type: GGMLType, count: Int, expected: [Float]?) throws {
    var out = [Float](repeating: 0, count: count)
    for workers in [1, 2] {
        Parallel.workerCount = workers
        var best = Double.infinity
        for _ in 0..<(count > 50_000_000 ? 2 : 8) {
            let start = now()
            try bytes.withUnsafeBytes { raw in
                try out.withUnsafeMutableBufferPointer {
                    try GGMLDequantizer.dequantize(raw, type: type, elementCount: count, into: $0)
                }
            }
            best = min(best, now() - start)
        }
        var note = ""
        if let expected {
            note = "  mismatches vs gguf-py: \(zip(out, expected).filter { $0.bitPattern != $1.bitPattern }.count)"
        }
        print(
            String(
                format: "%@ %@ %d values, %d thread(s): %.0f MB/s of blocks, %.0f M values/s%@", label, type.name, count,
                workers, Double(bytes.count) / best / 1e6, Double(count) / best / 1e6, note))
    }
}

if CommandLine.arguments.count > 1 {
    let folder = URL(fileURLWithPath: CommandLine.arguments[1])
    let data = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
    for entry in try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? [] {
        guard let id = entry["typeId"] as? Int, let count = entry["count"] as? Int else { continue }
        let type = try GGMLType(id: UInt32(id))
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("\(type.name).u8")))
        let floats = try Data(contentsOf: folder.appendingPathComponent("\(type.name).f32"))
        let expected = floats.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        try bench("\(entry["tensor"] as? String ?? "?")", bytes: bytes, type: type, count: count, expected: expected)
    }
}

// Synthetic blocks: random bytes with a sane fp16 scale, 16 M values per type.
var generator = SystemRandomNumberGenerator()
let n = 1 << 24
let scaleBits = HalfPrecision.float16(from: 0.01)
let scaleOffsets: [GGMLType: [Int]] = [
    .q4_0: [0], .q4_1: [0], .q5_0: [0], .q5_1: [0], .q8_0: [0], .q2_K: [80, 82], .q3_K: [108], .q4_K: [0, 2],
    .q5_K: [0, 2], .q6_K: [208],
]
for type in GGMLType.allCases where type.canDequantize && type != .f32 {
    var bytes = (0..<(try type.byteCount(elementCount: n))).map { _ in UInt8.random(in: 0...255, using: &generator) }
    for block in 0..<(n / type.blockSize) {
        for offset in scaleOffsets[type] ?? [] {
            bytes[block * type.bytesPerBlock + offset] = UInt8(scaleBits & 0xFF)
            bytes[block * type.bytesPerBlock + offset + 1] = UInt8(scaleBits >> 8)
        }
    }
    try bench("synthetic", bytes: bytes, type: type, count: n, expected: nil)
}

// Quantize-then-dequantize of a 2048 x 2048 matrix with every scheme (2 threads where the scheme uses them).
Parallel.workerCount = 2
let side = 2048
var weight = [Float](repeating: 0, count: side * side)
for i in 0..<weight.count {
    let x = Double(i)
    weight[i] = Float(sin(x * 0.7531) * 0.05 + cos(x * 0.1113) * 0.02)
}
for scheme in QuantizationScheme.allCases {
    let start = now()
    let result = try scheme.roundTrip(weight, shape: [side, side])
    let seconds = now() - start
    let error = zip(result, weight).map { abs($0 - $1) }.max() ?? 0
    print(
        String(
            format: "round trip %@ %dx%d: %.3f s (%.1f M values/s), max |error| %.5f", scheme.rawValue, side, side,
            seconds, Double(weight.count) / seconds / 1e6, error))
}
