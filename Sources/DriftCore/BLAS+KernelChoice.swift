#if !canImport(Accelerate)
    import COpenBLAS
#endif

extension BLAS {
    /// The kernel set the BLAS library runs on this machine: OpenBLAS's core name ("Haswell", "SkylakeX", …; chosen
    /// from the CPU when it loads, or by `OPENBLAS_CORETYPE`), or "Accelerate".
    ///
    /// Kernel sets sum a product's terms in different orders, so results agree to float rounding, not bit for bit.
    public static var kernelName: String {
        #if canImport(Accelerate)
            return "Accelerate"
        #else
            guard let name = openblas_get_corename() else { return "unknown" }
            return String(cString: name)
        #endif
    }
}
