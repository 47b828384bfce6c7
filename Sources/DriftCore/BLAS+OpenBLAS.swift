#if !canImport(Accelerate)
    import COpenBLAS

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
                blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
        }

        @usableFromInline
        static func backendDgemm(
            _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
            c: UnsafeMutablePointer<Double>, ldc: Int
        ) {
            cblas_dgemm(
                CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB),
                blasint(m), blasint(n), blasint(k), 1, a, blasint(lda), b, blasint(ldb), 0, c, blasint(ldc))
        }

        @usableFromInline
        static func backendSgemv(
            _ trans: Transpose, rows: Int, columns: Int, alpha: Float,
            a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
        ) {
            cblas_sgemv(
                CblasRowMajor, cblasTranspose(trans), blasint(rows), blasint(columns), alpha, a, blasint(lda), x, 1,
                beta,
                y, 1)
        }

        /// The number of threads BLAS uses.
        public static var threadCount: Int {
            get { Int(openblas_get_num_threads()) }
            set { openblas_set_num_threads(Int32(newValue)) }
        }

        /// A one-line description of the BLAS library in use.
        public static var backendDescription: String {
            guard let config = openblas_get_config() else { return "OpenBLAS" }
            // For example "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64, SkylakeX kernels".
            let text = String(cString: config)
            let build = text.hasPrefix("OpenBLAS") ? text : "OpenBLAS " + text
            // The build names the core it was configured for; a DYNAMIC_ARCH build may run another one.
            return build + ", \(kernelName) kernels"
        }
    }
#endif
