import Foundation
import Testing

@testable import DriftCore

/// The AVX-512F product with a pre-packed weight against the exact products summed in Double, and against itself
/// under other thread counts.
@Suite(.enabled(if: F32GEMM.isAvailable, "this CPU has no AVX-512F; the float32 kernel cannot run"))
struct F32GEMMTests {
    static func product(
        _ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, ldc: Int? = nil
    ) -> [Float] {
        product(a, F32PackedMatrix(Matrix(rows: n, columns: k, storage: b)), m: m, ldc: ldc)
    }

    static func product(_ a: [Float], _ packed: F32PackedMatrix, m: Int, ldc: Int? = nil) -> [Float] {
        let (n, k) = (packed.rows, packed.columns)
        let stride = ldc ?? n
        var c = [Float](repeating: .nan, count: m * stride)
        a.withUnsafeBufferPointer { pa in
            c.withUnsafeMutableBufferPointer { pc in
                guard let pa = pa.baseAddress, let pc = pc.baseAddress else { return }
                F32GEMM.multiply(pa, m: m, lda: k, by: packed, into: pc, ldc: stride)
            }
        }
        return c
    }

    static func inputs(m: Int, k: Int, n: Int) -> (a: [Float], b: [Float]) {
        var random = SeededRandom(seed: UInt64(m * 1_000_003 + k * 1009 + n))
        let a = (0..<(m * k)).map { _ in random.nextFloat(in: -2..<2) }
        let b = (0..<(n * k)).map { _ in random.nextFloat(in: -1..<1) }
        return (a, b)
    }

    /// Shapes that are not multiples of the 4 × 64 micro-tile, depths past one k block (512), row counts past one m
    /// block (128) and an expert's ~31 rows.
    @Test(arguments: [
        (1, 1, 1), (1, 3, 2), (13, 7, 33), (8, 48, 48), (9, 49, 47), (31, 2048, 100), (37, 129, 100),
        (11, 2, 31), (5, 515, 17), (300, 301, 97), (3, 1025, 96), (7, 1100, 49), (31, 300, 128),
    ])
    func matchesTheExactProducts(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        let (a, b) = Self.inputs(m: m, k: k, n: n)
        let c = Self.product(a, b, m: m, n: n, k: k)
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                var magnitude = 0.0
                for q in 0..<k {
                    let product = Double(a[i * k + q]) * Double(b[j * k + q])
                    sum += product
                    magnitude += abs(product)
                }
                worst = max(worst, abs(Double(c[i * n + j]) - sum) / max(magnitude, .leastNormalMagnitude))
            }
        }
        // float32 accumulation of k products: a few float32 epsilons (1.2e-7) of Σ|products|, whatever the order.
        #expect(worst <= 1e-6, "m=\(m) k=\(k) n=\(n): worst error \(worst) of Σ|a·b|")
    }

    /// A matrix whose rows fill whole panels is packed in its own memory through a shared scratch buffer, giving the
    /// same values as packing into new memory; one that does not is packed into new memory and padded.
    @Test func packingInPlaceEqualsPackingACopy() {
        var scratch: [Float] = []
        for (n, k) in [(128, 37), (64, 5), (70, 9)] {
            let (_, b) = Self.inputs(m: 1, k: k, n: n)
            var matrix = Matrix(rows: n, columns: k, storage: b)
            let inPlace = F32PackedMatrix(packing: &matrix, scratch: &scratch)
            let copied = F32PackedMatrix(Matrix(rows: n, columns: k, storage: b))
            #expect(matrix.rows == 0 && matrix.storage.isEmpty)
            guard case .float32(let packed) = inPlace.values, case .float32(let copy) = copied.values else {
                Issue.record("random float32 values were packed in bf16")
                continue
            }
            #expect(packed == copy && inPlace.rows == n && inPlace.columns == k)
            #expect(packed.count == (n + 63) / 64 * 64 * k)
        }
        #expect(scratch.count == 128 * 37)
    }

    /// Every element sums its products in the same order whatever the number of workers, and a row stride wider
    /// than the output leaves the gap untouched.
    @Test func resultDoesNotDependOnThreadsAndKeepsTheStride() {
        let (m, k, n) = (31, 600, 150)
        let (a, b) = Self.inputs(m: m, k: k, n: n)
        let workers = Parallel.workerCount
        defer { Parallel.workerCount = workers }
        Parallel.workerCount = 1
        let single = Self.product(a, b, m: m, n: n, k: k)
        Parallel.workerCount = 3
        let several = Self.product(a, b, m: m, n: n, k: k, ldc: n + 5)
        var equal = true
        for i in 0..<m {
            for j in 0..<n where single[i * n + j].bitPattern != several[i * (n + 5) + j].bitPattern { equal = false }
            for j in n..<(n + 5) where !several[i * (n + 5) + j].isNaN { equal = false }
        }
        #expect(equal)
    }

    /// `b` rounded to bf16 numbers (the upper 16 bits kept), as a bf16 checkpoint widened to float32 holds them.
    static func bfloat16Numbers(_ b: [Float]) -> [Float] {
        b.map { Float(bitPattern: $0.bitPattern & 0xFFFF_0000) }
    }

    /// A weight whose values are all bf16 numbers is held in bf16 (half the bytes), product bit for bit unchanged.
    ///
    /// The kernel widens exactly and keeps the order of every sum. Shapes with partial tiles, widths that are not
    /// whole panels, and depths past one k block.
    @Test(arguments: [(1, 1, 1), (13, 7, 33), (31, 2048, 100), (37, 129, 64), (5, 515, 17), (3, 1025, 200)])
    func bf16NumbersArePackedInBF16AndGiveTheSameBits(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        let (a, random) = Self.inputs(m: m, k: k, n: n)
        let b = Self.bfloat16Numbers(random)
        var scratch: [Float] = []
        var matrix = Matrix(rows: n, columns: k, storage: b)
        let half = F32PackedMatrix(packing: &matrix, scratch: &scratch)
        matrix = Matrix(rows: n, columns: k, storage: b)
        let full = F32PackedMatrix(packing: &matrix, scratch: &scratch, keepingFloat32: true)
        guard case .bfloat16 = half.values, case .float32 = full.values else {
            Issue.record("m=\(m) k=\(k) n=\(n): expected one bf16 and one float32 packing")
            return
        }
        #expect(half.byteCount * 2 == full.byteCount)
        #expect(half.matrix.storage == b && full.matrix.storage == b && half.matrix.rows == n)
        let c = Self.product(a, half, m: m)
        let expected = Self.product(a, full, m: m)
        #expect(c.map(\.bitPattern) == expected.map(\.bitPattern), "m=\(m) k=\(k) n=\(n)")
    }

    /// One value below bf16 resolution keeps the whole matrix in float32.
    @Test func oneValueThatIsNotABF16NumberKeepsFloat32() {
        var b = Self.bfloat16Numbers(Self.inputs(m: 1, k: 100, n: 70).b)
        b[6_999] = Float(bitPattern: b[6_999].bitPattern | 1)
        guard case .float32 = F32PackedMatrix(Matrix(rows: 70, columns: 100, storage: b)).values else {
            Issue.record("packed in bf16 although one value needs float32")
            return
        }
    }

    /// Packing the file's bf16 values directly — two parts stacked, as a gate and an up projection — gives the
    /// packing of the same values widened to float32; parts that do not fill whole panels are refused.
    @Test func bf16PartsPackLikeTheirWidenedValues() {
        let k = 37
        let rows = [64, 70]
        let (_, random) = Self.inputs(m: 1, k: k, n: rows.reduce(0, +))
        let b = Self.bfloat16Numbers(random)
        let bits = b.map { UInt16(truncatingIfNeeded: $0.bitPattern >> 16) }
        bits.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            let parts = [(values: base, rows: rows[0]), (values: base + rows[0] * k, rows: rows[1])]
            let fromParts = F32PackedMatrix(columns: k, bf16Parts: parts)
            let widened = F32PackedMatrix(Matrix(rows: rows.reduce(0, +), columns: k, storage: b))
            guard case .bfloat16(let direct)? = fromParts?.values, case .bfloat16(let detected) = widened.values
            else {
                Issue.record("expected bf16 packings")
                return
            }
            #expect(direct == detected && fromParts?.rows == 134 && fromParts?.columns == k)
            #expect(F32PackedMatrix(columns: k, bf16Parts: [(base, 63), (base + 63 * k, 71)]) == nil)
        }
    }

    /// The product reading the weight's rows where they lie gives the packed product's bits, for every activation
    /// panel width (16, 32, 64 rows), partial panels and tiles, depths past one k block, and a row stride wider than
    /// the rows.
    @Test(arguments: [(1, 5, 3), (8, 600, 100), (17, 64, 13), (33, 1025, 50), (64, 512, 97), (70, 1100, 200)])
    func readingRowsInPlaceGivesThePackedProductsBits(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        let (a, b) = Self.inputs(m: m, k: k, n: n)
        let packed = Self.product(a, b, m: m, n: n, k: k)
        let ldb = k + 3
        var strided = [Float](repeating: .nan, count: n * ldb)
        for j in 0..<n { for q in 0..<k { strided[j * ldb + q] = b[j * k + q] } }
        var c = [Float](repeating: .nan, count: m * n)
        a.withUnsafeBufferPointer { pa in
            strided.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    guard let pa = pa.baseAddress, let pb = pb.baseAddress, let pc = pc.baseAddress else { return }
                    F32GEMM.multiply(pa, m: m, lda: k, rows: pb, n: n, k: k, ldb: ldb, into: pc, ldc: n)
                }
            }
        }
        #expect(c.map(\.bitPattern) == packed.map(\.bitPattern), "m=\(m) k=\(k) n=\(n)")
    }
}
