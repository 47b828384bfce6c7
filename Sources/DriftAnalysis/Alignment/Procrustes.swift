public import DriftCore

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
        try alignedDistances(a, b, blockRows: 4096)
    }

    /// As the public form, with the row-block size of the d × d path given (tests use small blocks).
    package static func alignedDistances(_ a: Matrix, _ b: Matrix, blockRows: Int) throws -> [Double] {
        try alignedDistances(ProcrustesBasis(a), ProcrustesBasis(b), blockRows: blockRows)
    }

    /// As the public form, reusing what `a` and `b` have already decomposed.
    package static func alignedDistances(
        _ basisA: ProcrustesBasis, _ basisB: ProcrustesBasis, blockRows: Int = 4096
    ) throws -> [Double] {
        let a = basisA.matrix, b = basisB.matrix
        try DriftInput.validatePair(a, b)
        let n = a.rows, d = a.columns
        if 2 * n <= d {
            // Thin path: A = Ca Qaᵀ, B = Cb Qbᵀ with orthonormal Q; AᵀB = Qa (Caᵀ Cb) Qbᵀ, SVD Caᵀ Cb = P Σ Wᵀ gives
            // R = Qa P Wᵀ Qbᵀ and A R = Ca P Wᵀ Qbᵀ, so ⟨(AR)ᵢ, Bᵢ⟩ = ⟨(Ca P Wᵀ)ᵢ, Cbᵢ⟩ — all in n × n.
            let ca = try basisA.normalizedCoordinates(), cb = try basisB.normalizedCoordinates()
            let core = ca.multiplied(by: cb, transposeSelf: true)
            let svd = try LAPACK.singularValueDecomposition(core.values, rows: core.rows, columns: core.columns)
            let p = DoubleMatrix(rows: core.rows, columns: svd.rank, values: svd.u)
            let wt = DoubleMatrix(rows: svd.rank, columns: core.columns, values: svd.vt)
            let rotated = ca.multiplied(by: p).multiplied(by: wt)
            return rowCosineDistances(rotated, cb)
        }
        // d × d path, over blocks of rows so memory stays O(block · d + d²): M = Σ Âᵀ B̂, R = U Vᵀ, then Â R vs B̂.
        let m = blockedCrossProduct(a, b, blockRows, RowGeometry.rowNormalized, RowGeometry.rowNormalized)
        let svd = try LAPACK.singularValueDecomposition(m.storage.map(Double.init), rows: d, columns: d)
        let u = Matrix(rows: d, columns: d, storage: svd.u.map { Float($0) })
        let vt = Matrix(rows: d, columns: d, storage: svd.vt.map { Float($0) })
        let rotation = u.multiplied(by: vt)
        var result: [Double] = []
        result.reserveCapacity(n)
        forEachBlock(n, blockRows: blockRows) { range in
            let rotated = RowGeometry.rowNormalized(a.rows(range)).multiplied(by: rotation)
            result.append(contentsOf: RowGeometry.rowCosineDistances(rotated, RowGeometry.rowNormalized(b.rows(range))))
        }
        return result
    }

    /// Procrustes distance between two representations, in [0, 2].
    ///
    /// As in Ding et al. (2021): with `X`, `Y` centred and scaled to unit Frobenius norm,
    /// `min_R ‖X R − Y‖²_F = 2 − 2‖XᵀY‖_*`, in [0, 2]; 0 = equal up to rotation, translation and scale.
    /// Widths may differ (rotations are then semi-orthogonal). Memory stays bounded (blocks of rows) for many concepts.
    /// - Throws: ``DriftError`` when concept counts differ, a value is not finite, or the SVD fails.
    public static func distance(_ x: Matrix, _ y: Matrix) throws -> Double {
        try distance(x, y, blockRows: 4096)
    }

    /// As the public form, with the row-block size given (tests use small blocks).
    package static func distance(_ x: Matrix, _ y: Matrix, blockRows: Int) throws -> Double {
        try distance(ProcrustesBasis(x), ProcrustesBasis(y), blockRows: blockRows)
    }

    /// As the public form, reusing what `x` and `y` have already decomposed.
    package static func distance(
        _ basisX: ProcrustesBasis, _ basisY: ProcrustesBasis, blockRows: Int = 4096
    ) throws -> Double {
        let x = basisX.matrix, y = basisY.matrix
        try DriftInput.validatePair(x, y, sameWidth: false)
        let meanX = basisX.columnMeans(), meanY = basisY.columnMeans()
        var fx = 0.0, fy = 0.0
        forEachBlock(x.rows, blockRows: blockRows) { range in
            fx += RowGeometry.norms(RowGeometry.centered(x.rows(range), mean: meanX)).reduce(0) { $0 + $1 * $1 }
            fy += RowGeometry.norms(RowGeometry.centered(y.rows(range), mean: meanY)).reduce(0) { $0 + $1 * $1 }
        }
        guard fx > 0, fy > 0 else {
            throw DriftError(.invalidArgument, "Procrustes distance is undefined when every concept is identical")
        }
        let core: DoubleMatrix
        if 2 * x.rows <= min(x.columns, y.columns) {
            core = try basisX.centeredCoordinates().multiplied(by: basisY.centeredCoordinates(), transposeSelf: true)
        } else {
            core = DoubleMatrix(
                blockedCrossProduct(
                    x, y, blockRows, { RowGeometry.centered($0, mean: meanX) },
                    { RowGeometry.centered($0, mean: meanY) }
                ))
        }
        let svd = try LAPACK.singularValueDecomposition(
            core.values, rows: core.rows, columns: core.columns, vectors: false)
        let nuclear = svd.s.reduce(0, +) / (fx * fy).squareRoot()
        return max(0, 2 - 2 * nuclear)
    }

    /// `Σ_blocks f(X_block)ᵀ g(Y_block)`, `x.columns × y.columns`, accumulated through BLAS.
    private static func blockedCrossProduct(
        _ x: Matrix, _ y: Matrix, _ blockRows: Int, _ f: (Matrix) -> Matrix, _ g: (Matrix) -> Matrix
    ) -> Matrix {
        var product = Matrix(rows: x.columns, columns: y.columns)
        forEachBlock(x.rows, blockRows: blockRows) { range in
            let bx = f(x.rows(range)), by = g(y.rows(range))
            bx.storage.withUnsafeBufferPointer { xv in
                by.storage.withUnsafeBufferPointer { yv in
                    product.storage.withUnsafeMutableBufferPointer { pv in
                        guard let xb = xv.baseAddress, let yb = yv.baseAddress, let pb = pv.baseAddress else { return }
                        BLAS.sgemm(
                            .transpose, .none, m: bx.columns, n: by.columns, k: bx.rows, a: xb, lda: bx.columns,
                            b: yb, ldb: by.columns, beta: 1, c: pb, ldc: by.columns)
                    }
                }
            }
        }
        return product
    }

    private static func forEachBlock(_ rows: Int, blockRows: Int, _ body: (Range<Int>) -> Void) {
        var start = 0
        while start < rows {
            let end = min(rows, start + blockRows)
            body(start..<end)
            start = end
        }
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
