import Foundation

/// Bounds how many devices are polled at once (each is an open socket and a walk in progress on
/// the SNMP engine); the others wait their turn, first come first served. No threads: waiting is
/// a suspended task.
public final class PollLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var head = 0
    public let size: Int

    public init(size: Int) {
        self.size = max(1, size)
        free = self.size
    }

    /// Runs `body` once a place is free, and frees it after.
    public func run<T: Sendable>(_ body: () async -> T) async -> T {
        await acquire()
        defer { release() }
        return await body()
    }

    /// Polls running now (for tests and the bench).
    public var busy: Int { lock.withLock { size - free } }
    /// Polls waiting for a place.
    public var waitingCount: Int { lock.withLock { waiting.count - head } }

    private func acquire() async {
        await withCheckedContinuation { continuation in
            let now: Bool = lock.withLock {
                if free > 0 { free -= 1; return true }
                waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func release() {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            guard head < waiting.count else { free += 1; return nil }
            let next = waiting[head]
            head += 1
            // Drop the served part of the queue now and then instead of shifting it each time.
            if head > 64, head * 2 > waiting.count { waiting.removeFirst(head); head = 0 }
            return next
        }
        next?.resume()   // the place passes straight to the next in line
    }
}
