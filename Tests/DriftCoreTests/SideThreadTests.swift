import Foundation
import Testing

@testable import DriftCore

/// Work overlapped on a side thread: both outcomes come back, errors included, and the two really run at once.
@Suite struct SideThreadTests {
    struct Failure: Error, Equatable {}

    @Test func returnsBothOutcomesAndErrors() {
        let (side, body) = SideThread.overlapping({ 6 * 7 }, with: { "body" })
        #expect((try? side.get()) == 42)
        #expect((try? body.get()) == "body")
        let (failedSide, failedBody) = SideThread.overlapping({ () throws -> Int in throw Failure() }) {
            () throws -> Int in throw Failure()
        }
        #expect(throws: Failure.self) { try failedSide.get() }
        #expect(throws: Failure.self) { try failedBody.get() }
    }

    /// Each waits for a signal only the other gives: run one after the other, in either order, both would time out.
    @Test func sideAndBodyRunConcurrently() {
        let toBody = DispatchSemaphore(value: 0)
        let toSide = DispatchSemaphore(value: 0)
        let (side, body) = SideThread.overlapping(
            {
                toBody.signal()
                return toSide.wait(timeout: .now() + 10) == .success
            },
            with: {
                let heard = toBody.wait(timeout: .now() + 10) == .success
                toSide.signal()
                return heard
            })
        #expect((try? side.get()) == true)
        #expect((try? body.get()) == true)
    }
}
