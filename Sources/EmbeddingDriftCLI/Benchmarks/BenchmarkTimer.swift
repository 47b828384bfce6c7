import Dispatch

/// Times repeated runs of a piece of work; benchmarks quote the best (fastest) run, the least disturbed by other
/// processes on a shared machine.
enum BenchmarkTimer {
    /// The fastest execution of `body`, in seconds.
    ///
    /// `body` runs `warmUp` times untimed, then at least `runs` times, and keeps running (up to `maximumRuns`) until
    /// the timed runs add up to `minimumSeconds`, so that short products get enough chances to run undisturbed.
    static func best(
        runs: Int, minimumSeconds: Double = 0, maximumRuns: Int = 1000, warmUp: Int = 0, _ body: () throws -> Void
    ) rethrows -> Double {
        for _ in 0..<warmUp { try body() }
        var best = Double.infinity
        var total = 0.0
        var count = 0
        while count < max(1, runs) || (total < minimumSeconds && count < maximumRuns) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = min(best, seconds)
            total += seconds
            count += 1
        }
        return best
    }
}
