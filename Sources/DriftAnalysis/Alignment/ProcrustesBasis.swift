package import DriftCore

/// One representation's share of the Procrustes work, computed on first use and kept.
///
/// That is the thin SVD coordinates of its row-normalised rows (for ``Procrustes/alignedDistances(_:_:)``) and of its
/// centred rows (for ``Procrustes/distance(_:_:)``). A variant that is in many pairs at a layer is then decomposed
/// once, not once per pair.
///
/// Not thread-safe: use one basis from one thread.
package final class ProcrustesBasis {
    /// The representation, concepts × width.
    package let matrix: Matrix
    private var means: [Double]?
    private var normalized: DoubleMatrix?
    private var centered: DoubleMatrix?

    package init(_ matrix: Matrix) {
        self.matrix = matrix
    }

    /// The column means of ``matrix``.
    package func columnMeans() -> [Double] {
        if let means { return means }
        let computed = RowGeometry.columnMeans(matrix)
        means = computed
        return computed
    }

    /// `U Σ` of the row-normalised rows (`rows × rank`).
    package func normalizedCoordinates() throws -> DoubleMatrix {
        if let normalized { return normalized }
        let computed = try Self.coordinates(RowGeometry.rowNormalized(matrix))
        normalized = computed
        return computed
    }

    /// `U Σ` of the centred rows (`rows × rank`).
    package func centeredCoordinates() throws -> DoubleMatrix {
        if let centered { return centered }
        let computed = try Self.coordinates(RowGeometry.centered(matrix, mean: columnMeans()))
        centered = computed
        return computed
    }

    /// `C = U Σ` from the thin SVD of the rows: `X = C Qᵀ` with orthonormal `Q`.
    private static func coordinates(_ m: Matrix) throws -> DoubleMatrix {
        let svd = try LAPACK.singularValueDecomposition(m.storage.map(Double.init), rows: m.rows, columns: m.columns)
        return DoubleMatrix.scaledLeftVectors(svd, rows: m.rows)
    }
}
