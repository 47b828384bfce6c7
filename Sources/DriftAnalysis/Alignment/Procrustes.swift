import DriftCore

/// Orthogonal Procrustes: the rotation that best maps one variant onto another, the drift left after it, and the
/// Procrustes distance between two representations (which may differ in width).
public enum Procrustes {
    /// Per-concept cosine distance after rotating `a` onto `b` with the orthogonal `R` minimising `‖A R − B‖_F`.
    ///
    /// Rows are scaled to unit length first, so every concept weighs the same and the fit respects cosine geometry.
    /// A global rotation (e.g. a re-based residual stream) leaves these distances near 0; what remains is local change.
    /// - Returns: `rows` values in [0, 2].
    /// - Throws: ``DriftError`` when the shapes differ, a value is not finite, or the SVD fails.
    public static func alignedDistances(_ a: Matrix, _ b: Matrix) throws -> [Double] {
        try DriftInput.validatePair(a, b)
        let na = RowGeometry.rowNormalized(a), nb = RowGeometry.rowNormalized(b)
        let n = a.rows, d = a.columns
        if 2 * n <= d {
            // Thin path: A = Ca Qaᵀ, B = Cb Qbᵀ with orthonormal Q; AᵀB = Qa (Caᵀ Cb) Qbᵀ, SVD Caᵀ Cb = P Σ Wᵀ gives
            // R = Qa P Wᵀ Qbᵀ and A R = Ca P Wᵀ Qbᵀ, so ⟨(AR)ᵢ, Bᵢ⟩ = ⟨(Ca P Wᵀ)ᵢ, Cbᵢ⟩ — all in n × n.
            let ca = try coordinates(na), cb = try coordinates(nb)
            let core = ca.multiplied(by: cb, transposeSelf: true)
            let svd = try LAPACK.singularValueDecomposition(core.values, rows: core.rows, columns: core.columns)
            let p = DoubleMatrix(rows: core.rows, columns: svd.rank, values: svd.u)
            let wt = DoubleMatrix(rows: svd.rank, columns: core.columns, values: svd.vt)
            let rotated = ca.multiplied(by: p).multiplied(by: wt)
            return rowCosineDistances(rotated, cb)
        }
        let m = na.multiplied(by: nb, transposeSelf: true)  // d × d
        let svd = try LAPACK.singularValueDecomposition(m.storage.map(Double.init), rows: d, columns: d)
        let u = Matrix(rows: d, columns: d, storage: svd.u.map { Float($0) })
        let vt = Matrix(rows: d, columns: d, storage: svd.vt.map { Float($0) })
        let rotated = na.multiplied(by: u.multiplied(by: vt))  // A R, R = U Vᵀ
        return RowGeometry.rowCosineDistances(rotated, nb)
    }

    /// Procrustes distance between two representations, in [0, 2].
    ///
    /// As in Ding et al. (2021): with `X`, `Y` centred and scaled to unit Frobenius norm,
    /// `min_R ‖X R − Y‖²_F = 2 − 2‖XᵀY‖_*`, in [0, 2]; 0 = equal up to rotation, translation and scale.
    /// Widths may differ (rotations are then semi-orthogonal).
    /// - Throws: ``DriftError`` when concept counts differ, a value is not finite, or the SVD fails.
    public static func distance(_ x: Matrix, _ y: Matrix) throws -> Double {
        try DriftInput.validatePair(x, y, sameWidth: false)
        let cx = RowGeometry.centered(x, mean: RowGeometry.columnMeans(x))
        let cy = RowGeometry.centered(y, mean: RowGeometry.columnMeans(y))
        let fx = frobenius(cx), fy = frobenius(cy)
        guard fx > 0, fy > 0 else {
            throw DriftError(.invalidArgument, "Procrustes distance is undefined when every concept is identical")
        }
        let nuclear = try nuclearNormOfCrossProduct(cx, cy) / (fx * fy)
        return max(0, 2 - 2 * nuclear)
    }

    /// `‖XᵀY‖_*` (sum of singular values), computed in the smaller of the concept and feature spaces.
    package static func nuclearNormOfCrossProduct(_ x: Matrix, _ y: Matrix) throws -> Double {
        let n = x.rows
        let core: DoubleMatrix
        if 2 * n <= min(x.columns, y.columns) {
            core = try coordinates(x).multiplied(by: coordinates(y), transposeSelf: true)
        } else {
            let m = x.multiplied(by: y, transposeSelf: true)
            core = DoubleMatrix(m)
        }
        let svd = try LAPACK.singularValueDecomposition(
            core.values, rows: core.rows, columns: core.columns, vectors: false)
        return svd.s.reduce(0, +)
    }

    /// `C = U Σ` from the thin SVD of the rows: `X = C Qᵀ` with orthonormal `Q`.
    private static func coordinates(_ m: Matrix) throws -> DoubleMatrix {
        let svd = try LAPACK.singularValueDecomposition(m.storage.map(Double.init), rows: m.rows, columns: m.columns)
        return DoubleMatrix.scaledLeftVectors(svd, rows: m.rows)
    }

    private static func frobenius(_ m: Matrix) -> Double {
        m.storage.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
    }

    private static func rowCosineDistances(_ a: DoubleMatrix, _ b: DoubleMatrix) -> [Double] {
        (0..<a.rows).map { r in
            var dot = 0.0, na = 0.0, nb = 0.0
            for c in 0..<a.columns {
                let u = a.values[r * a.columns + c], v = b.values[r * b.columns + c]
                dot += u * v
                na += u * u
                nb += v * v
            }
            let denominator = (na * nb).squareRoot()
            return denominator > 0 ? 1 - min(1, max(-1, dot / denominator)) : 1
        }
    }
}
