import Foundation
import Testing
@testable import Probes

struct PollLimiterTests {
    /// Never more than `size` bodies at once, every body runs, and each gets its own result.
    @Test func runsEveryJobButNoMoreThanItsSizeAtOnce() async {
        let limiter = PollLimiter(size: 3)
        let gauge = Gauge()
        let results = await withTaskGroup(of: Int.self) { group in
            for i in 0..<40 {
                group.addTask {
                    await limiter.run {
                        gauge.enter()
                        await Task.yield()   // let the other tasks try to get in meanwhile
                        gauge.leave()
                        return i * i
                    }
                }
            }
            return await group.reduce(0, +)
        }
        #expect(results == (0..<40).map { $0 * $0 }.reduce(0, +))
        #expect(gauge.highest <= 3)
        #expect(limiter.busy == 0)
    }

    /// Waiters are served in the order they came.
    @Test func servesWaitersInOrder() async {
        let limiter = PollLimiter(size: 1)
        let order = Gauge()
        let gate = AsyncStream<Void>.makeStream()
        let holder = Task { await limiter.run { for await _ in gate.stream { break } } }
        while limiter.busy == 0 { await Task.yield() }
        var waiters: [Task<Void, Never>] = []
        for i in 0..<5 {
            waiters.append(Task { await limiter.run { order.record(i) } })
            while order.queued(limiter) < i + 1 { await Task.yield() }
        }
        gate.continuation.yield()
        await holder.value
        for w in waiters { await w.value }
        #expect(order.seen == [0, 1, 2, 3, 4])
    }

    /// With patience, a poll still out gives its place to the next in line, up to the ceiling in
    /// flight; a poll that answers in time keeps its place to the end.
    @Test func pollsStillOutGiveUpTheirPlacesUpToTheCeiling() async throws {
        let limiter = PollLimiter(size: 2, ceiling: 4, patience: 0.05)
        let gates = (0..<5).map { _ in AsyncStream<Void>.makeStream() }
        let started = Gauge()
        var polls: [Task<Void, Never>] = []
        for i in 0..<5 {
            polls.append(Task { await limiter.run { started.record(i); for await _ in gates[i].stream { break } } })
        }
        // Two start at once; once they have waited past their patience, two more; never a fifth.
        try await waitFor { limiter.parkedCount == 4 && started.seen.count == 4 }
        #expect(limiter.inFlight == 4 && limiter.waitingCount == 1 && limiter.busy == 0)
        let first = started.seen
        // One answers: there is room in flight again, and a place, so the fifth starts.
        gates[first[0]].continuation.yield()
        await polls[first[0]].value
        try await waitFor { started.seen.count == 5 }
        #expect(Set(started.seen) == Set(0..<5))
        #expect(limiter.inFlight == 4 && limiter.waitingCount == 0)
        for i in 0..<5 where i != first[0] { gates[i].continuation.yield(); await polls[i].value }
        #expect(limiter.inFlight == 0 && limiter.parkedCount == 0 && limiter.busy == 0)

        // Polls that answer within their patience keep their places: never more than two at once.
        let quick = PollLimiter(size: 2, ceiling: 4, patience: 60)
        let gauge = Gauge()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask { await quick.run { gauge.enter(); await Task.yield(); gauge.leave() } }
            }
        }
        #expect(gauge.highest <= 2 && quick.parkedCount == 0 && quick.inFlight == 0)
    }

    /// Waits for a condition that other threads make true; after a minute the test stops there.
    func waitFor(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let start = ContinuousClock.now
        while !condition() {
            try #require(ContinuousClock.now - start < .seconds(60), "condition not met within a minute", sourceLocation: sourceLocation)
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// Counts bodies inside the limiter and records an order, from any thread.
final class Gauge: @unchecked Sendable {
    private let lock = NSLock()
    private var inside = 0
    private(set) var highest = 0
    private var recorded: [Int] = []
    var seen: [Int] { lock.withLock { recorded } }
    func enter() { lock.withLock { inside += 1; highest = max(highest, inside) } }
    func leave() { lock.withLock { inside -= 1 } }
    func record(_ i: Int) { lock.withLock { recorded.append(i) } }
    func queued(_ limiter: PollLimiter) -> Int { limiter.waitingCount }
}
