import Foundation
import Testing

@testable import DriftCore

/// The lens-logits scratch file: rows written in any order read back in place, and the file is a `.npy` array numpy
/// would load (layers × concepts × vocabulary, float32).
@Suite struct LensLogitsFileTests {
    @Test func rowsWrittenInAnyOrderReadBackInPlace() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("lens.npy")
        let (layers, concepts, vocabulary) = (3, 5, 7)
        func value(_ l: Int, _ c: Int, _ v: Int) -> Float { Float(l * 100 + c * 10 + v) + 0.25 }
        let file = try LensLogitsFile(creating: url, layers: layers, concepts: concepts, vocabulary: vocabulary)
        for c in [3, 0, 4, 1, 2] {
            for l in [2, 0, 1] {
                try (0..<vocabulary).map { value(l, c, $0) }.withUnsafeBufferPointer {
                    try file.write($0, layer: l, concept: c)
                }
            }
        }
        let reader = try LensLogitsFile(reading: url)
        #expect(reader.layers == layers && reader.concepts == concepts && reader.vocabulary == vocabulary)
        let block = try reader.rows(layer: 1, concepts: 2..<5)
        #expect(block.rows == 3 && block.columns == vocabulary)
        #expect(block.row(0) == (0..<vocabulary).map { value(1, 2, $0) })
        #expect(block.row(2) == (0..<vocabulary).map { value(1, 4, $0) })
        // The whole file is the array numpy's reader (ours, checked against np.load elsewhere) sees.
        let array = try NumpyArray(contentsOf: url)
        #expect(array.shape == [layers, concepts, vocabulary] && array.elementType == .float32)
        #expect(
            array.floatValues()[((2 * concepts + 3) * vocabulary)..<((2 * concepts + 4) * vocabulary)].elementsEqual(
                (0..<vocabulary).map { value(2, 3, $0) }))
    }

    @Test func aFileOfAnotherShapeIsRefusedNamingIt() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("flat.npy")
        try NumpyArray(floats: [1, 2, 3, 4], shape: [2, 2]).write(to: url)
        #expect(throws: DriftError.self) { try LensLogitsFile(reading: url) }
        do {
            _ = try LensLogitsFile(reading: url)
        } catch let error as DriftError {
            #expect(error.path == url.path && error.message.contains("lens logits"))
        }
        // A truncated file: the header promises more than is there.
        let short = folder.appendingPathComponent("short.npy")
        _ = try LensLogitsFile(creating: short, layers: 2, concepts: 2, vocabulary: 4)
        let handle = try FileHandle(forWritingTo: short)
        try handle.truncate(atOffset: 100)
        try handle.close()
        #expect(throws: DriftError.self) { try LensLogitsFile(reading: short) }
    }

    @Test func aFileThatDoesNotFitOnItsVolumeIsRefusedBeforeItIsWritten() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("lens.npy")
        // 17 layers × 235 concepts × 128,256 tokens: Llama 3's vocabulary over the seed vocabulary, 2.05 GB.
        do {
            _ = try LensLogitsFile(
                creating: url, layers: 17, concepts: 235, vocabulary: 128_256, freeBytes: 1_000_000_000)
            Issue.record("a file larger than the free space was created")
        } catch let error as DriftError {
            #expect(error.message.contains("needs 2.05 GB") && error.message.contains("1.00 GB is free"))
            #expect(error.path == url.path)
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
        // The file system's own answer: a small file fits.
        _ = try LensLogitsFile(creating: url, layers: 1, concepts: 1, vocabulary: 4)
    }
}
