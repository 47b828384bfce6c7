#if canImport(Accelerate)
    import Accelerate

    extension LAPACK {
        /// Calls Accelerate's CLAPACK `dgesdd_` (column-major `m × n` matrix `a`) with a workspace query first.
        static func backendDgesdd(
            vectors: Bool, m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
            s: UnsafeMutablePointer<Double>, u: UnsafeMutablePointer<Double>, ldu: Int,
            vt: UnsafeMutablePointer<Double>, ldvt: Int
        ) -> Int {
            var jobz: CChar = vectors ? 0x53 : 0x4E  // "S" (thin vectors) or "N" (values only)
            var m32 = __CLPK_integer(m), n32 = __CLPK_integer(n), lda32 = __CLPK_integer(lda)
            var ldu32 = __CLPK_integer(max(1, ldu)), ldvt32 = __CLPK_integer(max(1, ldvt))
            var info: __CLPK_integer = 0
            var iwork = [__CLPK_integer](repeating: 0, count: 8 * min(m, n))
            var query = 0.0
            var lwork: __CLPK_integer = -1
            iwork.withUnsafeMutableBufferPointer { iw in
                _ = dgesdd_(
                    &jobz, &m32, &n32, a, &lda32, s, u, &ldu32, vt, &ldvt32,
                    &query, &lwork, iw.baseAddress, &info)
            }
            guard info == 0 else { return Int(info) }
            lwork = __CLPK_integer(max(1, query.rounded(.up)))
            var work = [Double](repeating: 0, count: Int(lwork))
            work.withUnsafeMutableBufferPointer { w in
                iwork.withUnsafeMutableBufferPointer { iw in
                    _ = dgesdd_(
                        &jobz, &m32, &n32, a, &lda32, s, u, &ldu32, vt, &ldvt32,
                        w.baseAddress, &lwork, iw.baseAddress, &info)
                }
            }
            return Int(info)
        }
    }
#endif
