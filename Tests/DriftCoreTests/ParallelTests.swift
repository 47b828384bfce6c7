import Foundation
import Testing

@testable import DriftCore

/// Counts visits from many threads.
private final class VisitCounter: @unchecked Sendable {
    // Safe: every access holds `lock`.
    private let lock = NSLock()
    private var counts: [Int]
    private var chunks: [Range<Int>] = []

    init(_ count: Int) { counts = [Int](repeating: 0, count: count) }

    func visit(_ i: Int) {
        lock.lock()
        counts[i] += 1
        lock.unlock()
    }

    func visit(_ range: Range<Int>) {
        lock.lock()
        chunks.append(range)
        for i in range { counts[i] += 1 }
        lock.unlock()
    }

    var snapshot: (counts: [Int], chunks: [Range<Int>]) {
        lock.lock()
        defer { lock.unlock() }
        return (counts, chunks)
    }
}

@Suite struct ParallelTests {
    @Test(arguments: [0, 1, 2, 3, 7, 64, 1001])
    func forEachVisitsEveryIndexOnce(count: Int) {
        let counter = VisitCounter(count)
        Parallel.forEach(count) { counter.visit($0) }
        #expect(counter.snapshot.counts == [Int](repeating: 1, count: count))
    }

    @Test(arguments: [(0, 1), (1, 1), (5, 1), (5, 10), (100, 1), (1001, 7), (1001, 300), (4096, 64)])
    func chunksPartitionTheRange(count: Int, minimumChunk: Int) {
        let counter = VisitCounter(count)
        Parallel.forEachChunk(count, minimumChunk: minimumChunk) { counter.visit($0) }
        let (counts, chunks) = counter.snapshot
        #expect(counts == [Int](repeating: 1, count: count))
        let sorted = chunks.sorted { $0.lowerBound < $1.lowerBound }
        #expect(sorted.allSatisfy { !$0.isEmpty })
        #expect(sorted.first?.lowerBound ?? 0 == 0)
        #expect(sorted.last?.upperBound ?? 0 == count)
        #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        // No more chunks than workers; each (but the last) at least the minimum when the range allows.
        #expect(chunks.count <= max(1, Parallel.workerCount))
        if count >= minimumChunk { #expect(sorted.dropLast().allSatisfy { $0.count >= minimumChunk }) }
    }
}
