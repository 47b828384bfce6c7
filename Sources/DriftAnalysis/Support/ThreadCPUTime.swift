#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// CPU time of the calling thread, for phase timings that other processes on the machine do not inflate.
enum ThreadCPUTime {
    /// Seconds of CPU the calling thread has used (NaN where the clock is unavailable).
    static func now() -> Double {
        var spec = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec) == 0 else { return .nan }
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }
}
