import DriftCore
import Foundation
import Testing

@testable import DriftModels

@Suite struct ModelFilesTests {
    /// A folder with a config, a tokenizer and a safetensors file whose header declares one BF16 and one F32 tensor,
    /// their 40 bytes all `extraWeightByte`.
    static func makeCheckpoint(
        in folder: URL, configText: String = "{\"model_type\": \"llama\"}", extraWeightByte: UInt8 = 0
    ) throws {
        try Data(configText.utf8).write(to: folder.appendingPathComponent("config.json"))
        try Data("{\"model\": {}}".utf8).write(to: folder.appendingPathComponent("tokenizer.json"))
        let header =
            #"{"a":{"dtype":"BF16","shape":[4,4],"data_offsets":[0,32]},"b":{"dtype":"F32","shape":[2],"data_offsets":[32,40]}}"#
        try writeSafetensors(header: header, weights: [UInt8](repeating: extraWeightByte, count: 40), in: folder)
    }

    /// `model.safetensors` in `folder`: the header's length, the header, the weights' bytes.
    static func writeSafetensors(header: String, weights: [UInt8], in folder: URL) throws {
        var data = Data()
        var length = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(contentsOf: header.utf8)
        data.append(contentsOf: weights)
        try data.write(to: folder.appendingPathComponent("model.safetensors"))
    }

    @Test func hashCoversConfigTokenizerHeadersAndWeightValues() throws {
        let folder = try ExtractionFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.makeCheckpoint(in: folder)
        let first = try ModelFiles.inspect(folder)
        #expect(first.weightDType == "BF16")
        #expect(first.files == ["config.json", "tokenizer.json", "model.safetensors"])
        #expect(try ModelFiles.inspect(folder) == first)

        // Same header and size, other values (the next checkpoint of a training run): another model.
        try Self.makeCheckpoint(in: folder, extraWeightByte: 1)
        #expect(try ModelFiles.inspect(folder).hash != first.hash)
        try Self.makeCheckpoint(in: folder, configText: "{\"model_type\": \"mistral\"}")
        #expect(try ModelFiles.inspect(folder).hash != first.hash)
    }

    /// A lone safetensors file (a model given as one file) is sampled too: a value changed at the middle of a 40 MiB
    /// tensor — past the first 16 MiB and before the last 1 MiB, the parts every single file is hashed by — changes
    /// the hash.
    @Test func aLoneSafetensorsFileIsSampledToo() throws {
        let folder = try ExtractionFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("model.safetensors")
        let header = #"{"big":{"dtype":"F32","shape":[10485760],"data_offsets":[0,41943040]}}"#
        var weights = [UInt8](repeating: 3, count: 40 << 20)
        try Self.writeSafetensors(header: header, weights: weights, in: folder)
        let first = try ModelFiles.inspect(file).hash
        weights[20 << 20] = 4
        try Self.writeSafetensors(header: header, weights: weights, in: folder)
        #expect(try ModelFiles.inspect(file).hash != first)
    }

    /// A large tensor is sampled at its start, middle and end: a change in any of them changes the hash, as does a
    /// change to any byte of a small tensor (an empty tensor before them changes nothing); the same values written
    /// again give the same hash.
    @Test func largeTensorsAreSampledAtTheirStartMiddleAndEnd() throws {
        let folder = try ExtractionFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = 1 << 20  // one F32 tensor of 1 MiB, then a small one
        func write(_ change: (inout [UInt8]) -> Void) throws -> String {
            var weights = (0..<(count + 16)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            change(&weights)
            try Data("{}".utf8).write(to: folder.appendingPathComponent("config.json"))
            let header =
                #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"big":{"dtype":"F32","shape":[262144],"data_offsets":[0,1048576]},"small":{"dtype":"F32","shape":[4],"data_offsets":[1048576,1048592]}}"#
            try Self.writeSafetensors(header: header, weights: weights, in: folder)
            return try ModelFiles.inspect(folder).hash
        }
        let original = try write { _ in }
        #expect(try write { _ in } == original)
        for position in [0, 4095, count / 2, count / 2 - 2048, count - 1, count + 9] {
            #expect(try write { $0[position] ^= 1 } != original, "byte \(position)")
        }
    }

    @Test func lyingHeaderLengthAndEmptyFolderAreErrors() throws {
        let folder = try ExtractionFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = try #require(throws: DriftError.self) { try ModelFiles.inspect(folder) }
        #expect(empty.kind == .missing)
        var data = Data()
        var length = UInt64(1 << 40).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(contentsOf: [UInt8](repeating: 0x20, count: 16))
        try data.write(to: folder.appendingPathComponent("model.safetensors"))
        let lying = try #require(throws: DriftError.self) { try ModelFiles.inspect(folder) }
        #expect(lying.kind == .corruptFile)
        #expect(lying.path?.hasSuffix("model.safetensors") == true)
    }

    @Test func fingerprintChangesWithEverySettingButTheBatchSize() throws {
        let base = ExtractionSettings()
        func fingerprint(
            _ settings: ExtractionSettings, scheme: String? = nil, vocabulary: String = "v", tool: String = "1"
        ) -> String {
            VariantFingerprint.compute(
                modelFilesHash: "m", scheme: scheme, settings: settings, vocabularyHash: vocabulary, toolVersion: tool)
        }
        let reference = fingerprint(base)
        #expect(fingerprint(ExtractionSettings(maxBatchTokens: 7)) == reference)
        #expect(fingerprint(ExtractionSettings(template: try PromptTemplate("{term}"))) != reference)
        #expect(fingerprint(ExtractionSettings(pooling: .mean)) != reference)
        #expect(fingerprint(ExtractionSettings(layers: .last)) != reference)
        #expect(fingerprint(ExtractionSettings(addSpecialTokens: false)) != reference)
        #expect(fingerprint(base, scheme: "nf4") != reference)
        #expect(fingerprint(base, vocabulary: "w") != reference)
        #expect(fingerprint(base, tool: "2") != reference)
    }
}
