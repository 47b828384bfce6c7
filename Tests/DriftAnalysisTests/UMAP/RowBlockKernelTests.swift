import DriftCore
import Foundation
import Testing

@testable import DriftAnalysis

/// The blocked row kernels against a direct double-precision evaluation of every pair, on every backend this
/// machine runs, for row lengths with and without a vector tail and list lengths that leave partial tiles.
@Suite struct RowBlockKernelTests {
    static let available = RowBlockKernel.Backend.allCases.filter(\.isAvailable)

    @Test(arguments: available) func matchesDirectEvaluation(backend: RowBlockKernel.Backend) {
        var random = SeededRandom(seed: 11)
        let count = 64
        for dimension in [1, 3, 8, 16, 37, 64, 130, 2048] {
            let data = (0..<(count * dimension)).map { _ in Float(random.nextNormal()) }
            let listA = (0..<19).map { _ in Int32(random.nextInt(below: count)) }
            let listB = listA.prefix(7) + (0..<16).map { _ in Int32(random.nextInt(below: count)) }
            for kind in [RowBlockKernel.Kind.dot, .squaredDistance] {
                for upper in [false, true] {
                    for rows in [1, 4, 5, 7] {
                        let b = upper ? Array(listA) : Array(listB)
                        let columns = upper ? 19 : 23
                        var out = [Float](repeating: .nan, count: rows * columns)
                        data.withUnsafeBufferPointer { base in
                            listA.withUnsafeBufferPointer { a in
                                b.withUnsafeBufferPointer { b in
                                    out.withUnsafeMutableBufferPointer { o in
                                        RowBlockKernel.compute(
                                            kind, base: base.baseAddress!, dimension: dimension, a: a.baseAddress!,
                                            rows: rows, b: b.baseAddress!, columns: columns, upper: upper,
                                            out: o.baseAddress!, ldo: columns, backend: backend)
                                    }
                                }
                            }
                        }
                        var worst = 0.0
                        for i in 0..<rows {
                            for j in (upper ? i + 1 : 0)..<max(upper ? i + 1 : 0, columns) {
                                var s = 0.0
                                for t in 0..<dimension {
                                    let x = Double(data[Int(listA[i]) * dimension + t])
                                    let y = Double(data[Int(b[j]) * dimension + t])
                                    s += kind == .dot ? x * y : (x - y) * (x - y)
                                }
                                // float32 accumulation over `dimension` terms of size ~1.
                                let scale = 1 + Double(dimension).squareRoot() + abs(s)
                                worst = max(worst, abs(Double(out[i * columns + j]) - s) / scale)
                            }
                        }
                        #expect(
                            worst < 1e-5, "\(backend) \(kind) upper=\(upper) d=\(dimension) rows=\(rows): \(worst)")
                    }
                }
            }
        }
    }
}
