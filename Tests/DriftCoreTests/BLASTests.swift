import Foundation
import Testing

@testable import DriftCore

/// BLAS.sgemm / sgemv against numpy's float64 products of the same float32 operands (Fixtures/blas, written by
/// Scripts/fixtures/blas.py), all four transpose combinations, strided operands, alpha/beta, k = 0.
@Suite struct BLASTests {
    private struct Cases: Decodable {
        struct Gemm: Decodable {
            var name: String
            var m, n, k: Int
            var trans_a, trans_b: Bool
            var alpha, beta: Float
        }
        struct Gemv: Decodable {
            var name: String
            var rows, cols: Int
            var trans: Bool
            var alpha, beta: Float
        }
        var gemm: [Gemm]
        var gemv: [Gemv]
    }

    private static func load() throws -> (URL, Cases) {
        let folder = try Fixtures.folder("blas")
        let cases = try JSONDecoder().decode(
            Cases.self, from: Data(contentsOf: folder.appendingPathComponent("cases.json")))
        return (folder, cases)
    }

    @Test func sgemmMatchesNumpyForEveryLayout() throws {
        let (folder, cases) = try Self.load()
        #expect(cases.gemm.count >= 11)
        var worst: Float = 0
        for item in cases.gemm {
            func load(_ suffix: String) throws -> Matrix {
                try NumpyArray.matrix(contentsOf: folder.appendingPathComponent("\(item.name)_\(suffix).npy"))
            }
            let a = try load("a")
            let b = try load("b")
            var c = try load("c0")
            let expected = try load("c")
            // The stored shapes must be what the case says (op(A) is m × k, op(B) is k × n), with stride ≥ width.
            #expect(
                item.trans_a ? (a.rows == item.k && a.columns >= item.m) : (a.rows == item.m && a.columns >= item.k))
            #expect(
                item.trans_b ? (b.rows == item.n && b.columns >= item.k) : (b.rows == item.k && b.columns >= item.n))
            let c0 = c
            a.storage.withUnsafeBufferPointer { pa in
                b.storage.withUnsafeBufferPointer { pb in
                    c.storage.withUnsafeMutableBufferPointer { pc in
                        // An empty operand (k = 0) has no base address; BLAS must not read it then.
                        let dummy: [Float] = [0]
                        dummy.withUnsafeBufferPointer { pd in
                            BLAS.sgemm(
                                item.trans_a ? .transpose : .none, item.trans_b ? .transpose : .none,
                                m: item.m, n: item.n, k: item.k, alpha: item.alpha,
                                a: pa.baseAddress ?? pd.baseAddress!, lda: a.columns,
                                b: pb.baseAddress ?? pd.baseAddress!, ldb: b.columns, beta: item.beta,
                                c: pc.baseAddress!, ldc: c.columns)
                        }
                    }
                }
            }
            for i in 0..<c.rows {
                for j in 0..<c.columns {
                    guard j < item.n else {
                        #expect(c[i, j] == c0[i, j], "\(item.name): padding of C changed at (\(i), \(j))")
                        continue
                    }
                    // Error bound of a float32 dot product of length k: γ_k · Σ|a||b|, plus the beta term.
                    var magnitude: Float = abs(item.beta * c0[i, j])
                    for p in 0..<item.k {
                        let av = item.trans_a ? a[p, i] : a[i, p]
                        let bv = item.trans_b ? b[j, p] : b[p, j]
                        magnitude += abs(item.alpha * av * bv)
                    }
                    let tolerance = Float(item.k + 2) * Float.ulpOfOne * magnitude + Float.leastNormalMagnitude
                    let error = abs(c[i, j] - expected[i, j])
                    #expect(error <= tolerance, "\(item.name) (\(i), \(j)): \(c[i, j]) vs numpy \(expected[i, j])")
                    worst = max(worst, error / max(magnitude, .leastNormalMagnitude))
                }
            }
        }
        #expect(worst < 1e-5)
    }

    @Test func sgemvMatchesNumpy() throws {
        let (folder, cases) = try Self.load()
        #expect(cases.gemv.count == 2)
        for item in cases.gemv {
            func load(_ suffix: String) throws -> NumpyArray {
                try NumpyArray(contentsOf: folder.appendingPathComponent("\(item.name)_\(suffix).npy"))
            }
            let a = try load("a").matrix()
            let x = try load("x").floatValues()
            var y = try load("y0").floatValues()
            let expected = try load("y").floatValues()
            a.storage.withUnsafeBufferPointer { pa in
                x.withUnsafeBufferPointer { px in
                    y.withUnsafeMutableBufferPointer { py in
                        BLAS.sgemv(
                            item.trans ? .transpose : .none, rows: item.rows, columns: item.cols, alpha: item.alpha,
                            a: pa.baseAddress!, lda: a.columns, x: px.baseAddress!, beta: item.beta,
                            y: py.baseAddress!)
                    }
                }
            }
            #expect(y.count == expected.count)
            let length = item.trans ? item.rows : item.cols
            for (got, want) in zip(y, expected) {
                #expect(
                    abs(got - want) <= Float(length + 2) * Float.ulpOfOne * (abs(want) + Float(length)), "\(item.name)")
            }
        }
    }

    @Test func matrixProductMatchesNumpy() throws {
        let (folder, _) = try Self.load()
        // small_NT: C = A · Bᵀ with alpha 1, beta 0: the Matrix API must agree with the raw call's reference.
        let a = try NumpyArray.matrix(contentsOf: folder.appendingPathComponent("small_NT_a.npy"))
        let b = try NumpyArray.matrix(contentsOf: folder.appendingPathComponent("small_NT_b.npy"))
        let expected = try NumpyArray.matrix(contentsOf: folder.appendingPathComponent("small_NT_c.npy"))
        let c = a.multiplied(by: b, transposeOther: true)
        #expect(c.rows == expected.rows && c.columns == expected.columns)
        for (got, want) in zip(c.storage, expected.storage) { #expect(abs(got - want) <= 1e-5) }
    }
}
