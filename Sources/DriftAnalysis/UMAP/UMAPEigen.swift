import DriftCore
import Foundation

/// The eigen-solvers UMAP's spectral initialisation needs: a dense symmetric Jacobi solver for small matrices and a
/// Lanczos iteration with full reorthogonalisation for the largest eigenpairs of a large sparse symmetric operator.
enum UMAPEigen {
    /// All eigenpairs of the symmetric `n × n` matrix `a` (row-major) by cyclic Jacobi rotations.
    ///
    /// - Returns: eigenvalues in descending order and the matching unit eigenvectors as the columns of an `n × n`
    ///   row-major matrix.
    static func symmetric(_ a: [Double], n: Int) -> (values: [Double], vectors: [Double]) {
        var a = a
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        var scale = 0.0
        for x in a { scale += x * x }
        if n > 1 && scale > 0 {
            for _ in 0..<100 {
                var off = 0.0
                for p in 0..<n { for q in (p + 1)..<max(p + 1, n) { off += a[p * n + q] * a[p * n + q] } }
                if off <= 1e-26 * scale { break }
                for p in 0..<(n - 1) {
                    for q in (p + 1)..<n {
                        let apq = a[p * n + q]
                        if abs(apq) <= 1e-300 { continue }
                        let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                        let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                        let c = 1 / (t * t + 1).squareRoot()
                        let s = t * c
                        for k in 0..<n {
                            let akp = a[k * n + p]
                            let akq = a[k * n + q]
                            a[k * n + p] = c * akp - s * akq
                            a[k * n + q] = s * akp + c * akq
                        }
                        for k in 0..<n {
                            let apk = a[p * n + k]
                            let aqk = a[q * n + k]
                            a[p * n + k] = c * apk - s * aqk
                            a[q * n + k] = s * apk + c * aqk
                        }
                        for k in 0..<n {
                            let vkp = v[k * n + p]
                            let vkq = v[k * n + q]
                            v[k * n + p] = c * vkp - s * vkq
                            v[k * n + q] = s * vkp + c * vkq
                        }
                    }
                }
            }
        }
        let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] }
        var values = [Double](repeating: 0, count: n)
        var vectors = [Double](repeating: 0, count: n * n)
        for (newIndex, old) in order.enumerated() {
            values[newIndex] = a[old * n + old]
            for k in 0..<n { vectors[k * n + newIndex] = v[k * n + old] }
        }
        return (values, vectors)
    }

    /// The `wanted` largest eigenpairs of a symmetric operator on vectors of length `n`, restricted to the
    /// orthogonal complement of the unit vectors `deflate`.
    ///
    /// - Parameters:
    ///   - apply: `y = A x` (both of length `n`).
    ///   - start: the starting vector (need not be normalised or orthogonal to `deflate`).
    ///   - tolerance: a Ritz pair is converged when its residual norm is below this.
    ///   - maxSteps: Lanczos steps at most (the Krylov dimension).
    /// - Returns: eigenvalues (descending), eigenvectors `n × wanted` row-major, and whether all converged.
    static func lanczosLargest(
        n: Int, wanted: Int, deflate: [[Float]], start: [Float], tolerance: Double, maxSteps: Int,
        apply: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) -> (values: [Double], vectors: [Float], converged: Bool) {
        let m = max(wanted + 1, min(maxSteps, n - deflate.count))
        var basis = [Float](repeating: 0, count: m * n)
        var alphas = [Double]()
        var betas = [Double]()
        var w = [Float](repeating: 0, count: n)
        var h = [Float](repeating: 0, count: m)
        var resultValues = [Double]()
        var ritz = [Double]()
        var steps = 0
        var converged = false

        basis.withUnsafeMutableBufferPointer { V in
            w.withUnsafeMutableBufferPointer { w in
                h.withUnsafeMutableBufferPointer { h in
                    guard let vb = V.baseAddress, let wb = w.baseAddress, let hb = h.baseAddress else { return }
                    func orthogonalise(against count: Int) {
                        for _ in 0..<2 {
                            for u in deflate {
                                var dot = 0.0
                                for i in 0..<n { dot += Double(u[i]) * Double(wb[i]) }
                                let f = Float(dot)
                                for i in 0..<n { wb[i] -= f * u[i] }
                            }
                            if count > 0 {
                                BLAS.sgemv(.none, rows: count, columns: n, a: vb, lda: n, x: wb, y: hb)
                                BLAS.sgemv(
                                    .transpose, rows: count, columns: n, alpha: -1, a: vb, lda: n, x: hb, beta: 1,
                                    y: wb)
                            }
                        }
                    }
                    func norm() -> Double {
                        var s = 0.0
                        for i in 0..<n { s += Double(wb[i]) * Double(wb[i]) }
                        return s.squareRoot()
                    }
                    for i in 0..<n { wb[i] = start[i] }
                    orthogonalise(against: 0)
                    var b = norm()
                    if b == 0 { return }
                    for i in 0..<n { vb[i] = Float(Double(wb[i]) / b) }
                    var j = 0
                    var nextCheck = min(m, max(2 * wanted + 8, 20))
                    while true {
                        apply(vb + j * n, wb)
                        var alpha = 0.0
                        for i in 0..<n { alpha += Double(wb[i]) * Double(vb[j * n + i]) }
                        alphas.append(alpha)
                        orthogonalise(against: j + 1)
                        b = norm()
                        steps = j + 1
                        let done = steps >= m || b < 1e-7
                        if done || steps >= nextCheck {
                            let k = steps
                            var t = [Double](repeating: 0, count: k * k)
                            for i in 0..<k {
                                t[i * k + i] = alphas[i]
                                if i + 1 < k {
                                    t[i * k + i + 1] = betas[i]
                                    t[(i + 1) * k + i] = betas[i]
                                }
                            }
                            let (vals, vecs) = symmetric(t, n: k)
                            let take = min(wanted, k)
                            var ok = true
                            for c in 0..<take where abs(b * vecs[(k - 1) * k + c]) > tolerance { ok = false }
                            if ok || done {
                                converged = ok
                                resultValues = Array(vals[0..<take])
                                ritz = [Double](repeating: 0, count: k * take)
                                for r in 0..<k { for c in 0..<take { ritz[r * take + c] = vecs[r * k + c] } }
                                return
                            }
                            nextCheck = min(m, steps + max(10, steps / 4))
                        }
                        betas.append(b)
                        j += 1
                        for i in 0..<n { vb[j * n + i] = Float(Double(wb[i]) / b) }
                    }
                }
            }
        }
        let take = resultValues.count
        var vectors = [Float](repeating: 0, count: n * wanted)
        if take > 0 {
            for r in 0..<steps {
                for c in 0..<take {
                    let f = Float(ritz[r * take + c])
                    if f == 0 { continue }
                    for i in 0..<n { vectors[i * wanted + c] += f * basis[r * n + i] }
                }
            }
        }
        return (resultValues, vectors, converged)
    }
}
