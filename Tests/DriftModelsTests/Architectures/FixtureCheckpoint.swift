import DriftCore
import DriftModels
import Foundation

/// A store that hides or reshapes tensors of another, to provoke loader errors.
struct TamperedTensorStore: TensorStore {
    let base: any TensorStore
    var hidden: Set<String> = []
    var reshaped: [String: [Int]] = [:]

    var tensors: [TensorInfo] {
        base.tensors.compactMap { info in
            if hidden.contains(info.name) { return nil }
            if let shape = reshaped[info.name] {
                return TensorInfo(name: info.name, typeName: info.typeName, shape: shape)
            }
            return info
        }
    }

    func floats(_ name: String) throws -> [Float] { try base.floats(name) }
}

/// One fixture folder: the checkpoint and what transformers computed.
struct ModelFixture {
    struct Prompt: Decodable {
        let text: String
        let ids: [Int]
    }

    struct Index: Decodable {
        let architecture: String
        let prompts: [Prompt]
        let layers: Int
        let hidden_size: Int
        let dtype: String
        let reference: String?
    }

    let name: String
    let folder: URL
    let index: Index
    /// `[prompts][layers + 1][hidden]`.
    let last: [Float]
    let mean: [Float]

    static var root: URL {
        get throws {
            guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
                throw DriftError(.missing, "test fixtures are missing from the bundle")
            }
            return url.appendingPathComponent("models")
        }
    }

    init(_ name: String) throws {
        self.name = name
        folder = try Self.root.appendingPathComponent(name)
        index = try JSONDecoder().decode(
            Index.self, from: Data(contentsOf: folder.appendingPathComponent("expected.json")))
        last = try Self.readNpy(folder.appendingPathComponent("last.npy"))
        mean = try Self.readNpy(folder.appendingPathComponent("mean.npy"))
    }

    func store() throws -> SafetensorsStore {
        try SafetensorsStore(path: folder.path)
    }

    func model() throws -> TransformerModel {
        try ModelLoader.load(folder: folder.path)
    }

    /// The expected vector for prompt `p`, hidden-state index `layer`.
    func expected(_ values: [Float], prompt p: Int, layer: Int) -> [Float] {
        let h = index.hidden_size
        let start = (p * (index.layers + 1) + layer) * h
        return Array(values[start..<(start + h)])
    }

    /// A little-endian float32 `.npy` (version 1 header), flattened.
    static func readNpy(_ url: URL) throws -> [Float] {
        let data = try Data(contentsOf: url)
        guard data.count > 10, data.prefix(6) == Data([0x93]) + Data("NUMPY".utf8) else {
            throw DriftError(.corruptFile, "not a .npy file", path: url.path)
        }
        let headerLength = Int(data[8]) | (Int(data[9]) << 8)
        let header = String(decoding: data.subdata(in: 10..<(10 + headerLength)), as: UTF8.self)
        guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False") else {
            throw DriftError(.corruptFile, "expected little-endian float32 C order, found \(header)", path: url.path)
        }
        let body = data.subdata(in: (10 + headerLength)..<data.count)
        return body.withUnsafeBytes { raw in
            (0..<(body.count / 4)).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        }
    }
}

/// Comparison figures of two vectors.
struct VectorComparison {
    let maxAbsError: Float
    let maxAbsReference: Float
    let cosine: Double

    init(_ actual: [Float], _ reference: [Float]) {
        var maxError: Float = 0
        var maxRef: Float = 0
        var dot = 0.0, na = 0.0, nb = 0.0
        for (a, b) in zip(actual, reference) {
            maxError = max(maxError, abs(a - b))
            maxRef = max(maxRef, abs(b))
            dot += Double(a) * Double(b)
            na += Double(a) * Double(a)
            nb += Double(b) * Double(b)
        }
        maxAbsError = actual.count == reference.count ? maxError : .infinity
        maxAbsReference = maxRef
        cosine = dot / (na.squareRoot() * nb.squareRoot())
    }

    /// The relative error: max abs error over the reference's max abs value.
    var relativeError: Float { maxAbsError / maxAbsReference }
}
