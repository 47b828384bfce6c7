import Dispatch

/// Times repeated runs of a piece of work; benchmarks quote the best (fastest) run, the least disturbed by other
/// processes on a shared machine.
enum BenchmarkTimer {
    /// The fastest of `runs` executions of `body`, in seconds (after `warmUp` untimed executions).
    static func best(runs: Int, warmUp: Int = 0, _ body: () throws -> Void) rethrows -> Double {
        for _ in 0..<warmUp { try body() }
        var best = Double.infinity
        for _ in 0..<max(1, runs) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = min(best, seconds)
        }
        return best
    }
}
