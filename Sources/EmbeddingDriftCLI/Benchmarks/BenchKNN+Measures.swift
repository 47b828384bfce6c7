import DriftCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `bench knn` measures with and runs on: CPU time, peak memory, the reproducible synthetic data.
extension BenchKNN {
    /// User plus system CPU time of this process (all threads), in seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Peak resident set size of this process, in MiB (`ru_maxrss` is in kilobytes on Linux, bytes on macOS).
    static func peakResidentMiB() -> Double {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_maxrss) / 1024
        #else
            getrusage(RUSAGE_SELF, &usage)
            return Double(usage.ru_maxrss) / 1_048_576
        #endif
    }

    /// Uniform values in [−1, 1): element `i` (row-major) is `splitmix64(seed + (i + 1) · γ) >> 40`, scaled.
    static func uniform(rows: Int, columns: Int, seed: UInt64) -> Matrix {
        var m = Matrix(rows: rows, columns: columns)
        let count = rows * columns
        m.storage.withUnsafeMutableBufferPointer { out in
            Parallel.forEachChunk(count, minimumChunk: 1 << 16) { range in
                for i in range {
                    var z = seed &+ UInt64(i + 1) &* 0x9E37_79B9_7F4A_7C15
                    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                    z ^= z >> 31
                    out[i] = Float(z >> 40) * 0x1p-23 - 1
                }
            }
        }
        return m
    }
}
