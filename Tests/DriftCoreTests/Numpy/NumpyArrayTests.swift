import Foundation
import Testing

@testable import DriftCore

@Suite struct NumpyArrayTests {
    private static let elementTypes: [String: NumpyArray.ElementType] = [
        "f4": .float32, "f2": .float16, "f8": .float64, "i4": .int32, "i8": .int64, "u1": .uint8, "b1": .bool,
    ]

    @Test func readsEveryNumpyFileWithExactValues() throws {
        let (folder, fixture) = try NumpyCases.load()
        #expect(fixture.cases.count >= 25)
        for item in fixture.cases {
            let array = try NumpyArray(contentsOf: folder.appendingPathComponent(item.file))
            let type = try #require(Self.elementTypes[String(item.descr.dropFirst())])
            #expect(array.shape == item.shape, "\(item.file)")
            #expect(array.elementType == type, "\(item.file)")
            #expect(array.count == item.shape.reduce(1, *), "\(item.file)")

            let floats = array.floatValues().map { UInt64($0.bitPattern) }
            #expect(floats == item.float32_bits.hexValues(), "\(item.file): float32 values")
            let doubles = array.doubleValues().map(\.bitPattern)
            #expect(doubles == item.float64_bits.hexValues(), "\(item.file): float64 values")

            if let bits = item.bits {
                #expect(Self.ownWidthBits(of: array) == bits.hexValues(), "\(item.file): element bits")
                #expect(throws: DriftError.self) { try array.integerValues() }
            }
            if let integers = item.integers {
                #expect(try array.integerValues() == integers.map { Int64($0) ?? .min }, "\(item.file)")
            }
            if let booleans = item.booleans {
                #expect(try array.integerValues() == booleans.map { $0 ? 1 : 0 }, "\(item.file)")
            }
        }
    }

    /// Swift builds each array from the values numpy reported (not from the file) and must write numpy's bytes.
    @Test func writesExactlyWhatNumpySaves() throws {
        let (folder, fixture) = try NumpyCases.load()
        var compared = 0
        for item in fixture.cases {
            guard let writeBack = item.write_back else { continue }
            let expected = try Data(contentsOf: folder.appendingPathComponent(writeBack))
            let built = try Self.build(item)
            #expect(built.npyData() == expected, "\(item.file): Swift-built bytes differ from numpy's \(writeBack)")
            let read = try NumpyArray(contentsOf: folder.appendingPathComponent(item.file))
            #expect(read.npyData() == expected, "\(item.file): read-then-written bytes differ from \(writeBack)")
            compared += 1
        }
        #expect(compared >= 25)
    }

    /// A matrix written straight from its storage gives numpy's own file, byte for byte, for every 2-D float32 case;
    /// reading any 2-D case as a matrix (float32 little-endian copied once from the mapping, the rest converted)
    /// gives the values the general reader gives.
    @Test func float32MatricesAreWrittenAndReadWithoutIntermediateCopies() throws {
        let (folder, fixture) = try NumpyCases.load()
        let temporary = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: temporary) }
        var written = 0
        var read = 0
        for item in fixture.cases where item.shape.count == 2 {
            let url = folder.appendingPathComponent(item.file)
            let general = try NumpyArray(contentsOf: url)
            let matrix = try NumpyArray.matrix(contentsOf: url)
            #expect(matrix.rows == item.shape[0] && matrix.columns == item.shape[1], "\(item.file)")
            #expect(matrix.storage.map(\.bitPattern) == general.floatValues().map(\.bitPattern), "\(item.file)")
            read += 1
            guard item.descr == "<f4", let writeBack = item.write_back else { continue }
            let target = temporary.appendingPathComponent("\(written).npy")
            try NumpyArray.writeFloat32(matrix, to: target)
            #expect(
                try Data(contentsOf: target) == Data(contentsOf: folder.appendingPathComponent(writeBack)),
                "\(item.file): bytes differ from numpy's \(writeBack)")
            written += 1
        }
        #expect(read >= 5 && written >= 3, "\(read) read, \(written) written")
        // Shapes numpy's cases do not have: empty, and a header whose padding changes with the first dimension.
        for (rows, columns) in [(0, 0), (0, 7), (9, 1), (10, 3), (123_456, 2)] {
            let matrix = Matrix(
                rows: rows, columns: columns, storage: (0..<(rows * columns)).map { Float($0) * 0.5 - 3 })
            let target = temporary.appendingPathComponent("shape-\(rows)x\(columns).npy")
            try NumpyArray.writeFloat32(matrix, to: target)
            #expect(try Data(contentsOf: target) == NumpyArray(matrix: matrix).npyData(), "\(rows)×\(columns)")
            #expect(try NumpyArray.matrix(contentsOf: target) == matrix, "\(rows)×\(columns)")
        }
        // Three dimensions, as the hidden states are written, and a count that contradicts the shape.
        let values = (0..<(2 * 3 * 5)).map { Float($0) - 7.25 }
        let cube = temporary.appendingPathComponent("cube.npy")
        try NumpyArray.writeFloat32(values, shape: [2, 3, 5], to: cube)
        #expect(try Data(contentsOf: cube) == NumpyArray(floats: values, shape: [2, 3, 5]).npyData())
        #expect(throws: DriftError.self) { try NumpyArray.writeFloat32(values, shape: [2, 3, 4], to: cube) }
        // A folder that does not exist: one error naming the file.
        let missing = temporary.appendingPathComponent("no/such/folder/out.npy")
        let error = try #require(throws: DriftError.self) {
            try NumpyArray.writeFloat32(Matrix(rows: 1, columns: 1, storage: [1]), to: missing)
        }
        #expect(error.kind == .io && error.path == missing.path)
    }

    @Test func writeGoesToDiskAtomicallyAndReadsBack() throws {
        let (folder, _) = try NumpyCases.load()
        let temporary = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let original = try NumpyArray(contentsOf: folder.appendingPathComponent("f4_64x33.npy"))
        let target = temporary.appendingPathComponent("nested/out.npy")
        try original.write(to: target)
        try original.write(to: target)  // replacing an existing file
        #expect(try Data(contentsOf: target) == Data(contentsOf: folder.appendingPathComponent("f4_64x33.npy")))
        #expect(try NumpyArray(contentsOf: target) == original)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path)
        #expect(leftovers == ["out.npy"])
    }

    @Test func matrixAccessorsFollowRowMajorOrder() throws {
        let (folder, _) = try NumpyCases.load()
        let url = folder.appendingPathComponent("f4_64x33.npy")
        let matrix = try NumpyArray.matrix(contentsOf: url)
        let array = try NumpyArray(contentsOf: url)
        #expect(matrix.rows == 64 && matrix.columns == 33)
        #expect(matrix.storage == array.floatValues())
        #expect(matrix[1, 0] == array.floatValues()[33])
        #expect(NumpyArray(matrix: matrix) == array)

        let cube = folder.appendingPathComponent("f4_3d.npy")
        let error = try #require(throws: DriftError.self) { try NumpyArray.matrix(contentsOf: cube) }
        #expect(error.kind == .invalidArgument)
        #expect(error.path == cube.path)
        #expect(error.description.contains("(2, 3, 5)"))
    }

    @Test func headerReportsLayoutWithoutCopyingData() throws {
        let (folder, _) = try NumpyCases.load()
        let header = try NumpyArray.header(of: folder.appendingPathComponent("be_i8.npy"))
        #expect(header.majorVersion == 1)
        #expect(header.isBigEndian)
        #expect(header.elementType == .int64)
        #expect(header.shape == [6])
        #expect(header.dataOffset == 128)
        #expect(header.dataByteCount == 48)
        let v2 = try NumpyArray.header(of: folder.appendingPathComponent("v2_needed_rank22000.npy"))
        #expect(v2.majorVersion == 2)
        #expect(v2.shape.count == 22000)
        #expect(try NumpyArray.header(of: folder.appendingPathComponent("v3_f4.npy")).majorVersion == 3)
    }

    @Test func refusesBadFilesWithOneClearError() throws {
        let (folder, fixture) = try NumpyCases.load()
        #expect(fixture.bad_cases.count >= 15)
        for item in fixture.bad_cases {
            let url = folder.appendingPathComponent(item.file)
            let error = try #require(throws: DriftError.self, "\(item.file): \(item.note)") {
                try NumpyArray(contentsOf: url)
            }
            let expectedKind: DriftError.Kind = item.kind == "unsupported" ? .unsupported : .corruptFile
            #expect(error.kind == expectedKind, "\(item.file): \(error)")
            #expect(error.path == url.path, "\(item.file)")
            #expect(error.description.hasPrefix(url.path + ": "), "\(item.file)")
            #expect(!error.description.contains("\n"), "\(item.file)")
        }
    }

    @Test func missingFileIsAnIOError() throws {
        let url = URL(fileURLWithPath: "/nonexistent/drift/absent.npy")
        let error = try #require(throws: DriftError.self) { try NumpyArray(contentsOf: url) }
        #expect(error.kind == .io)
        #expect(error.path == url.path)
    }

    @Test func constructorsCheckCountsAndRanges() throws {
        #expect(throws: DriftError.self) { try NumpyArray(floats: [1, 2, 3], shape: [2, 2]) }
        #expect(throws: DriftError.self) { try NumpyArray(floats: [1], shape: [-1]) }
        #expect(throws: DriftError.self) { try NumpyArray(floats: [1], shape: [1], as: .int32) }
        #expect(throws: DriftError.self) { try NumpyArray(integers: [1 << 40], shape: [1], as: .int32) }
        #expect(throws: DriftError.self) { try NumpyArray(integers: [256], shape: [1], as: .uint8) }
        #expect(throws: DriftError.self) { try NumpyArray(integers: [2], shape: [1], as: .bool) }
        #expect(throws: DriftError.self) { try NumpyArray(integers: [1], shape: [1], as: .float32) }
        #expect(throws: DriftError.self) {
            try NumpyArray(shape: [Int.max, 2], elementType: .float32, littleEndianBytes: Data())
        }
        let scalar = try NumpyArray(floats: [2.5], shape: [])
        #expect(scalar.count == 1 && scalar.rank == 0)
        let empty = try NumpyArray(floats: [], shape: [4, 0])
        #expect(empty.count == 0 && empty.floatValues().isEmpty)
        let ints = try NumpyArray(int32s: [-3, 7], shape: [2])
        #expect(try ints.integerValues() == [-3, 7])
        #expect(ints.floatValues() == [-3, 7])
    }

    // MARK: - Helpers

    /// The elements' bit patterns in their own width (2, 4 or 8 bytes).
    private static func ownWidthBits(of array: NumpyArray) -> [UInt64] {
        let width = array.elementType.byteCount
        return array.bytes.withUnsafeBytes { raw in
            (0..<array.count).map { i in
                var value: UInt64 = 0
                for byte in 0..<width { value |= UInt64(raw[i * width + byte]) << (8 * byte) }
                return value
            }
        }
    }

    /// An array with the case's logical values, built through the public constructors.
    private static func build(_ item: NumpyCases.Case) throws -> NumpyArray {
        let shape = item.shape
        switch item.descr.dropFirst() {
        case "f4":
            let values = try #require(item.bits).hexValues().map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }
            return try NumpyArray(floats: values, shape: shape)
        case "f2":
            if let source = item.from_float32_bits {
                let values = source.hexValues().map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }
                return try NumpyArray(floats: values, shape: shape, as: .float16)
            }
            // float16 values given as bits: go through Float (exact) and back.
            let values = try #require(item.bits).hexValues().map {
                HalfPrecision.float(fromFloat16: UInt16(truncatingIfNeeded: $0))
            }
            return try NumpyArray(floats: values, shape: shape, as: .float16)
        case "f8":
            let values = try #require(item.bits).hexValues().map(Double.init(bitPattern:))
            return try NumpyArray(doubles: values, shape: shape)
        case "i4", "i8", "u1":
            let type = try #require(elementTypes[String(item.descr.dropFirst())])
            return try NumpyArray(
                integers: try #require(item.integers).map { Int64($0) ?? .min }, shape: shape, as: type)
        case "b1":
            return try NumpyArray(integers: try #require(item.booleans).map { $0 ? 1 : 0 }, shape: shape, as: .bool)
        default:
            throw DriftError(.unsupported, "no builder for \(item.descr)")
        }
    }
}
