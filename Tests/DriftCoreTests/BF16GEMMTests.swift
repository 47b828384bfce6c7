import Foundation
import Testing

@testable import DriftCore

/// The AVX-512 BF16 product against a plain float32 reference over the same bf16-rounded inputs.
///
/// The reference rounds with ``HalfPrecision/bfloat16(from:)`` (round to nearest even, written independently of the
/// kernel's packers) and sums the exact products in Double, so the only difference allowed is float32 summation order.
@Suite(.enabled(if: CPUFeatures.hasAVX512BF16, "this CPU has no AVX-512 BF16; the bf16 kernel cannot run"))
struct BF16GEMMTests {
    /// `bf16(a) · bf16(b)ᵀ` in Double, and `Σ |products|` per element (the scale of the rounding error of a sum).
    static func reference(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int) -> (values: [Double], scale: [Double]) {
        let ra = a.map { HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16(from: $0)) }
        let rb = b.map { HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16(from: $0)) }
        var values = [Double](repeating: 0, count: m * n)
        var scale = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                var magnitude = 0.0
                for q in 0..<k {
                    let product = Double(ra[i * k + q]) * Double(rb[j * k + q])
                    sum += product
                    magnitude += abs(product)
                }
                values[i * n + j] = sum
                scale[i * n + j] = magnitude
            }
        }
        return (values, scale)
    }

    static func product(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, ldc: Int? = nil) -> [Float] {
        let packed = BF16PackedMatrix(Matrix(rows: n, columns: k, storage: b))
        let stride = ldc ?? n
        var c = [Float](repeating: .nan, count: m * stride)
        a.withUnsafeBufferPointer { pa in
            c.withUnsafeMutableBufferPointer { pc in
                guard let pa = pa.baseAddress, let pc = pc.baseAddress else { return }
                BF16GEMM.multiply(pa, m: m, lda: k, by: packed, into: pc, ldc: stride)
            }
        }
        return c
    }

    /// Shapes that are not multiples of the 6 × 64 micro-tile, odd depths, depths past one k block (2048) and row
    /// counts past one m block (192).
    @Test(arguments: [
        (1, 1, 1), (1, 3, 2), (13, 7, 33), (12, 32, 32), (25, 333, 65), (37, 129, 100), (11, 2, 31), (5, 515, 17),
        (400, 301, 47), (3, 1025, 96), (7, 2101, 70), (6, 4096, 64),
    ])
    func matchesFloat32Reference(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        var random = SeededRandom(seed: UInt64(m * 1_000_003 + k * 1009 + n))
        let a = (0..<(m * k)).map { _ in random.nextFloat(in: -2..<2) }
        let b = (0..<(n * k)).map { _ in random.nextFloat(in: -1..<1) }
        let c = Self.product(a, b, m: m, n: n, k: k)
        let (expected, scale) = Self.reference(a, b, m: m, n: n, k: k)
        var worst = 0.0
        for i in 0..<(m * n) {
            let error = abs(Double(c[i]) - expected[i]) / max(scale[i], .leastNormalMagnitude)
            worst = max(worst, error)
        }
        // float32 accumulation of k products: a few float32 epsilons (1.2e-7) of Σ|products|, whatever the order.
        #expect(worst <= 1e-6, "m=\(m) k=\(k) n=\(n): worst error \(worst) of Σ|a·b|")
        print("bf16 gemm \(m)×\(k)×\(n): worst error \(worst) of Σ|a·b|")
    }

    /// With k = 1 every element is one product of two bf16 values, exact in float32: the packers' rounding must be
    /// round-to-nearest-even exactly, including the ties.
    @Test func roundsToNearestEven() {
        let ulp: Float = 1.0 / 128  // bf16 spacing in [1, 2)
        let specials: [Float] = [
            1, 1 + ulp / 2, 1 + 3 * ulp / 2, 1 + ulp / 2 + ulp / 1024, -(1 + ulp / 2), 3.14159265, -0.1, 65504,
            1e-30, 3e38, 0, -0, 1.00390625, 1.01171875,
        ]
        // Rounding of A (activations): A = specials (m × 1), B = 1.
        let byRows = Self.product(specials, [1], m: specials.count, n: 1, k: 1)
        // Rounding of B (weights): A = 1, B = specials (n × 1).
        let byColumns = Self.product([1], specials, m: 1, n: specials.count, k: 1)
        for (i, value) in specials.enumerated() {
            let rounded = HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16(from: value))
            #expect(byRows[i] == rounded, "A rounding of \(value): \(byRows[i]) vs \(rounded)")
            #expect(byColumns[i] == rounded, "B rounding of \(value): \(byColumns[i]) vs \(rounded)")
        }
    }

    /// A row stride wider than n leaves the columns past n untouched.
    @Test func respectsTheOutputStride() {
        let (m, k, n, ldc) = (14, 9, 35, 40)
        var random = SeededRandom(seed: 7)
        let a = (0..<(m * k)).map { _ in random.nextFloat(in: -1..<1) }
        let b = (0..<(n * k)).map { _ in random.nextFloat(in: -1..<1) }
        let c = Self.product(a, b, m: m, n: n, k: k, ldc: ldc)
        let (expected, scale) = Self.reference(a, b, m: m, n: n, k: k)
        for i in 0..<m {
            for j in 0..<ldc {
                if j < n {
                    #expect(abs(Double(c[i * ldc + j]) - expected[i * n + j]) <= 1e-6 * scale[i * n + j])
                } else {
                    #expect(c[i * ldc + j].isNaN, "column \(j) past n was written")
                }
            }
        }
    }

    /// Packing bf16 values as they are equals packing them widened to float32 (which rounds nothing), stacked parts
    /// and odd shapes included: the load path that reads a bf16 checkpoint without a float32 copy.
    @Test(arguments: [(n: 64, k: 96), (n: 37, k: 5), (n: 33, k: 64), (n: 1, k: 1), (n: 70, k: 67)])
    func packingBFloat16ValuesEqualsPackingTheirFloat32Widening(n: Int, k: Int) throws {
        var random = SeededRandom(seed: UInt64(n * 1000 + k))
        let bits = (0..<(n * k)).map { _ in HalfPrecision.bfloat16(from: Float(random.nextNormal())) }
        let widened = bits.map { HalfPrecision.float(fromBFloat16: $0) }
        let expected = BF16PackedMatrix(Matrix(rows: n, columns: k, storage: widened))
        let whole = try #require(
            bits.withUnsafeBufferPointer { values in
                values.baseAddress.map { BF16PackedMatrix(columns: k, bf16Parts: [(values: $0, rows: n)]) }
            })
        #expect(whole.packed == expected.packed)
        #expect(whole.rows == n && whole.columns == k)
        // Two parts, the first filling whole panels.
        let first = BF16PackedMatrix.panelRows
        guard n > first else { return }
        let stacked = try #require(
            bits.withUnsafeBufferPointer { values in
                values.baseAddress.map {
                    BF16PackedMatrix(
                        columns: k, bf16Parts: [(values: $0, rows: first), (values: $0 + first * k, rows: n - first)])
                }
            })
        #expect(stacked.packed == expected.packed)
    }

    /// The product reading bf16 rows where they lie computes the packed product's bits exactly: every panel width
    /// (m up to 16, 32, more), rows not filling a tile, depths past one k block (2 × 1024 pairs), stacked parts of odd
    /// row counts, columns of C past n untouched.
    @Test(arguments: [
        (m: 1, k: 2, parts: [1]), (m: 8, k: 64, parts: [13]), (m: 16, k: 30, parts: [12, 12]),
        (m: 17, k: 96, parts: [5, 7, 20]), (m: 31, k: 2050, parts: [70]), (m: 33, k: 4098, parts: [13, 1]),
        (m: 64, k: 128, parts: [200]), (m: 130, k: 256, parts: [25, 40, 37]), (m: 700, k: 96, parts: [6, 199]),
    ])
    func rowsInPlaceEqualPackedBitForBit(m: Int, k: Int, parts: [Int]) throws {
        let n = parts.reduce(0, +)
        var random = SeededRandom(seed: UInt64(m * 7919 + k * 31 + n))
        let a = (0..<(m * k)).map { _ in random.nextFloat(in: -2..<2) }
        let bits = (0..<(n * k)).map { _ in HalfPrecision.bfloat16(from: Float(random.nextNormal())) }
        let widened = bits.map { HalfPrecision.float(fromBFloat16: $0) }
        let expected = Self.product(a, widened, m: m, n: n, k: k, ldc: n + 3)
        let ldc = n + 3
        var c = [Float](repeating: .nan, count: m * ldc)
        // Each part in its own allocation, as tensors lie apart in a file.
        let storage = parts.map { UnsafeMutablePointer<UInt16>.allocate(capacity: $0 * k) }
        defer { storage.forEach { $0.deallocate() } }
        var first = 0
        for (pointer, rows) in zip(storage, parts) {
            pointer.initialize(from: Array(bits[(first * k)..<((first + rows) * k)]), count: rows * k)
            first += rows
        }
        let rows = try #require(
            BF16Rows(
                columns: k, parts: zip(storage, parts).map { BF16Rows.Part(values: $0, rows: $1) }, owner: 0))
        let matrix = BF16PackedMatrix(inPlace: rows)
        #expect(matrix.rows == n && matrix.columns == k && matrix.packed.isEmpty)
        #expect(matrix.byteCount == BF16PackedMatrix.byteCount(rows: n, columns: k))
        a.withUnsafeBufferPointer { pa in
            c.withUnsafeMutableBufferPointer { pc in
                guard let pa = pa.baseAddress, let pc = pc.baseAddress else { return }
                BF16GEMM.multiply(pa, m: m, lda: k, by: matrix, into: pc, ldc: ldc)
            }
        }
        var differing = 0
        for i in 0..<m {
            for j in 0..<ldc {
                if j < n {
                    if c[i * ldc + j].bitPattern != expected[i * ldc + j].bitPattern { differing += 1 }
                } else {
                    #expect(c[i * ldc + j].isNaN, "column \(j) past n was written")
                }
            }
        }
        #expect(differing == 0, "\(differing) of \(m * n) outputs differ from the packed product")
    }

    /// Rows the kernel cannot read as 32-bit pairs are refused: an odd row length, a part at an odd address.
    @Test func rowsInPlaceNeedEvenColumnsAndAlignedParts() throws {
        let values = UnsafeMutablePointer<UInt16>.allocate(capacity: 64)
        defer { values.deallocate() }
        values.initialize(repeating: 0, count: 64)
        #expect(BF16Rows(columns: 4, parts: [BF16Rows.Part(values: values, rows: 2)], owner: 0) != nil)
        #expect(BF16Rows(columns: 3, parts: [BF16Rows.Part(values: values, rows: 2)], owner: 0) == nil)
        #expect(BF16Rows(columns: 4, parts: [BF16Rows.Part(values: values + 1, rows: 2)], owner: 0) == nil)
        #expect(BF16Rows(columns: 4, parts: [], owner: 0) == nil)
        #expect(BF16Rows(columns: 4, parts: [BF16Rows.Part(values: values, rows: 0)], owner: 0) == nil)
    }
}
