import Foundation
import ProcFS

/// Threads for blocking work (net-snmp's synchronous requests), so that slow devices never
/// occupy Swift's cooperative threads. At most `size` jobs run at once; threads start on demand
/// and end when the pool is gone and its queue is empty.
public final class BlockingPool: @unchecked Sendable {
    /// What the threads share. They hold this, not the pool, so the pool can go away.
    final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        var jobs: [() -> Void] = []
        var threads = 0
        var idle = 0
        var closed = false
    }

    private let queue = Queue()
    public let size: Int

    public init(size: Int) { self.size = max(1, size) }

    deinit {
        queue.condition.lock()
        queue.closed = true
        queue.condition.broadcast()
        queue.condition.unlock()
    }

    /// Runs `body` on a pool thread and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let q = queue
            q.condition.lock()
            q.jobs.append { continuation.resume(returning: body()) }
            if q.idle == 0 && q.threads < size {
                q.threads += 1
                let thread = Thread { BlockingPool.work(q) }
                thread.name = "inspect-blocking-\(q.threads)"
                thread.stackSize = 512 * 1024
                thread.start()
            }
            q.condition.signal()
            q.condition.unlock()
        }
    }

    private static func work(_ q: Queue) {
        q.condition.lock()
        while true {
            while q.jobs.isEmpty && !q.closed {
                q.idle += 1
                q.condition.wait()
                q.idle -= 1
            }
            if q.jobs.isEmpty {   // closed and drained
                q.threads -= 1
                q.condition.unlock()
                return
            }
            let job = q.jobs.removeFirst()
            q.condition.unlock()
            job()
            q.condition.lock()
        }
    }
}
