#if canImport(Accelerate)
    import Accelerate
    import Foundation

    extension BLAS {
        static func cblasTranspose(_ t: Transpose) -> CBLAS_TRANSPOSE {
            t == .none ? CblasNoTrans : CblasTrans
        }

        @usableFromInline
        static func backendSgemm(
            _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
            c: UnsafeMutablePointer<Float>, ldc: Int
        ) {
            cblas_sgemm(
                CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB),
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }

        @usableFromInline
        static func backendDgemm(
            _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
            c: UnsafeMutablePointer<Double>, ldc: Int
        ) {
            cblas_dgemm(
                CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB),
                Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
        }

        @usableFromInline
        static func backendSgemv(
            _ trans: Transpose, rows: Int, columns: Int, alpha: Float,
            a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
        ) {
            cblas_sgemv(
                CblasRowMajor, cblasTranspose(trans), Int32(rows), Int32(columns), alpha, a, Int32(lda), x, 1, beta, y,
                1)
        }

        /// The number of threads BLAS uses (Accelerate manages its own threads; setting is ignored).
        public static var threadCount: Int {
            get { ProcessInfo.processInfo.activeProcessorCount }
            set {}
        }

        /// A one-line description of the BLAS library in use.
        public static var backendDescription: String { "Accelerate" }
    }
#endif
