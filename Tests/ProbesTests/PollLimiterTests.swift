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
}

/// Counts bodies inside the limiter and records an order, from any thread.
final class Gauge: @unchecked Sendable {
    private let lock = NSLock()
    private var inside = 0
    private(set) var highest = 0
    private(set) var seen: [Int] = []
    func enter() { lock.withLock { inside += 1; highest = max(highest, inside) } }
    func leave() { lock.withLock { inside -= 1 } }
    func record(_ i: Int) { lock.withLock { seen.append(i) } }
    func queued(_ limiter: PollLimiter) -> Int { limiter.waitingCount }
}
