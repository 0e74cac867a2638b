import Foundation
import ProcFS

/// A blocking system call (statvfs of a dead NFS mount never returns) run on a thread of its own
/// that the caller can abandon at a deadline, so that neither the caller nor Swift's cooperative
/// threads wait for it. A call still stuck is never started again for the same key: the next
/// caller hears at once that it is still stuck, so one dead mount costs one thread, not one per poll.
public enum AbandonableCall {
    public enum Outcome<T>: @unchecked Sendable {
        case done(T)
        /// No answer within the timeout (this call, now abandoned).
        case timedOut
        /// An earlier call with the same key has not returned yet.
        case stillStuck
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var stuck: Set<String> = []

    /// Resumes a continuation once: with the answer, or with the timeout, whichever comes first.
    private final class Once<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Outcome<T>, Never>?
        init(_ c: CheckedContinuation<Outcome<T>, Never>) { continuation = c }
        func resume(_ outcome: Outcome<T>) {
            lock.lock()
            let c = continuation
            continuation = nil
            lock.unlock()
            c?.resume(returning: outcome)
        }
    }

    /// Marks `key` as in flight; false when it already is.
    private static func claim(_ key: String) -> Bool {
        lock.withLock { stuck.insert(key).inserted }
    }

    public static func run<T>(key: String, timeout: Double, _ body: @escaping @Sendable () -> T) async -> Outcome<T> {
        guard claim(key) else { return .stillStuck }
        return await withCheckedContinuation { continuation in
            let once = Once(continuation)
            let thread = Thread {
                let value = body()
                lock.lock()
                stuck.remove(key)
                lock.unlock()
                once.resume(.done(value))
            }
            thread.stackSize = 64 * 1024
            thread.start()
            // The thread stays blocked in the kernel when this fires; it clears the key if it ever returns.
            DispatchQueue.global().asyncAfter(deadline: .now() + max(0, timeout)) { once.resume(.timedOut) }
        }
    }
}
