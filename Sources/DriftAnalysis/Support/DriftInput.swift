public import DriftCore

/// Checks on the inputs of every measure: shapes, finite values, matching concept lists.
public enum DriftInput {
    /// Throws unless `matrix` has at least one row and column and only finite values.
    ///
    /// - Parameter name: how the user knows this matrix (a variant name, a file), used in the message.
    /// - Throws: ``DriftError`` of kind `.invalidArgument` naming the first non-finite element.
    public static func validate(_ matrix: Matrix, name: String) throws {
        guard matrix.rows > 0, matrix.columns > 0 else {
            throw DriftError(.invalidArgument, "embeddings of \(name) are empty (\(matrix.rows) × \(matrix.columns))")
        }
        let columns = matrix.columns
        let firstBad: Int? = matrix.storage.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count where !buffer[i].isFinite { return i }
            return nil
        }
        if let index = firstBad {
            let value = matrix.storage[index]
            throw DriftError(
                .invalidArgument,
                "embeddings of \(name) contain \(value) at concept \(index / columns), dimension \(index % columns); "
                    + "every value must be finite")
        }
    }

    /// Throws unless both matrices are valid and describe the same concepts (equal row counts).
    ///
    /// - Parameter sameWidth: also require equal column counts (per-concept measures need it).
    public static func validatePair(
        _ a: Matrix, _ b: Matrix, names: (String, String) = ("variant a", "variant b"), sameWidth: Bool = true
    ) throws {
        try validate(a, name: names.0)
        try validate(b, name: names.1)
        guard a.rows == b.rows else {
            throw DriftError(
                .invalidArgument,
                "\(names.0) has \(a.rows) concepts but \(names.1) has \(b.rows); both must embed the same concept list")
        }
        if sameWidth, a.columns != b.columns {
            throw DriftError(
                .invalidArgument,
                "\(names.0) is \(a.columns) wide but \(names.1) is \(b.columns) wide; per-concept drift needs equal "
                    + "widths (use CKA, Procrustes distance or mutual k-NN to compare different widths)")
        }
    }

    /// Throws unless two variants list the same concepts in the same order.
    ///
    /// - Parameters:
    ///   - a: the first list of terms.
    ///   - b: the second list of terms.
    ///   - names: what each list is, for the message.
    ///   - path: the file (or run directory) the first list was read from, named in the error.
    public static func validateConcepts(
        _ a: [String], _ b: [String], names: (String, String), path: String? = nil
    ) throws {
        guard a.count == b.count else {
            throw DriftError(
                .invalidArgument, "\(names.0) lists \(a.count) concepts but \(names.1) lists \(b.count)", path: path)
        }
        for i in 0..<a.count where a[i] != b[i] {
            throw DriftError(
                .invalidArgument,
                "concept lists differ at position \(i): \(names.0) has \(DriftError.quote(a[i])), \(names.1) has "
                    + DriftError.quote(b[i]),
                path: path)
        }
    }

    /// Throws unless `k` neighbours can be chosen among `count` concepts (excluding each concept itself).
    public static func validateNeighborCount(_ k: Int, concepts count: Int) throws {
        guard k >= 1, k < count else {
            throw DriftError(
                .invalidArgument,
                "k = \(k) nearest neighbours needs 1 ≤ k < number of concepts (\(count)); choose a smaller k")
        }
    }
}
