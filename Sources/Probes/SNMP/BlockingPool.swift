import Foundation

/// A fixed set of threads for blocking work (net-snmp's synchronous requests), so that many
/// slow devices never occupy Swift's cooperative threads. Bounded: `size` polls at once.
public final class BlockingPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var threads: [Thread] = []

    public init(size: Int) {
        for i in 0..<max(1, size) {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "inspect-blocking-\(i)"
            thread.stackSize = 512 * 1024
            threads.append(thread)
            thread.start()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }

    /// Runs `body` on a pool thread and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            condition.lock()
            jobs.append { continuation.resume(returning: body()) }
            condition.signal()
            condition.unlock()
        }
    }
}
