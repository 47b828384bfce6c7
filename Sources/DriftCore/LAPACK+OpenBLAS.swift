#if !canImport(Accelerate)
    import COpenBLAS

    extension LAPACK {
        /// Calls `dgesdd` (column-major `m × n` matrix `a`) with a workspace query first; returns LAPACK's `info`.
        static func backendDgesdd(
            vectors: Bool, m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
            s: UnsafeMutablePointer<Double>, u: UnsafeMutablePointer<Double>, ldu: Int,
            vt: UnsafeMutablePointer<Double>, ldvt: Int
        ) -> Int {
            var jobz: CChar = vectors ? 0x53 : 0x4E  // "S" (thin vectors) or "N" (values only)
            var m32 = Int32(m), n32 = Int32(n), lda32 = Int32(lda)
            var ldu32 = Int32(max(1, ldu)), ldvt32 = Int32(max(1, ldvt))
            var info: Int32 = 0
            var iwork = [Int32](repeating: 0, count: 8 * min(m, n))
            var query = 0.0
            var lwork: Int32 = -1
            iwork.withUnsafeMutableBufferPointer { iw in
                dgesdd_(
                    &jobz, &m32, &n32, a, &lda32, s, u, &ldu32, vt, &ldvt32,
                    &query, &lwork, iw.baseAddress, &info, 1)
            }
            guard info == 0 else { return Int(info) }
            lwork = Int32(min(Double(Int32.max - 1), max(1, query.rounded(.up))))
            var work = [Double](repeating: 0, count: Int(lwork))
            work.withUnsafeMutableBufferPointer { w in
                iwork.withUnsafeMutableBufferPointer { iw in
                    dgesdd_(
                        &jobz, &m32, &n32, a, &lda32, s, u, &ldu32, vt, &ldvt32,
                        w.baseAddress, &lwork, iw.baseAddress, &info, 1)
                }
            }
            return Int(info)
        }
    }
#endif
