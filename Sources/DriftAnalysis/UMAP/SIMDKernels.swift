/// Small vector kernels for distances between single pairs (matrix products go through BLAS).
enum SIMDKernels {
    /// `Σ a[i]·b[i]` over `n` elements.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc0 = SIMD8<Float>()
        var acc1 = SIMD8<Float>()
        var i = 0
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        while i + 16 <= n {
            acc0 +=
                ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            acc1 +=
                ra.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            i += 16
        }
        var s = (acc0 + acc1).sum()
        while i < n {
            s += a[i] * b[i]
            i += 1
        }
        return s
    }

    /// `Σ (a[i] − b[i])²` over `n` elements.
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc0 = SIMD8<Float>()
        var acc1 = SIMD8<Float>()
        var i = 0
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        while i + 16 <= n {
            let d0 =
                ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                - rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let d1 =
                ra.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
                - rb.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            acc0 += d0 * d0
            acc1 += d1 * d1
            i += 16
        }
        var s = (acc0 + acc1).sum()
        while i < n {
            let d = a[i] - b[i]
            s += d * d
            i += 1
        }
        return s
    }
}
