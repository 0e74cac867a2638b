import Foundation

/// The daemon's time: what it stamps events and schedules with, and how it waits between ticks.
/// Injected, so that tests run the daemon in-process on a clock they move (a report due at 08:00
/// is tested by moving the clock to 08:00, not by waiting for it).
public protocol DaemonClock: Sendable {
    func now() -> Date
    /// Returns after `seconds` of this clock's time, or at once when the task is cancelled.
    func sleep(seconds: Double) async
}

/// Wall-clock time and real sleeps.
public struct SystemClock: DaemonClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(seconds: Double) async {
        try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }
}

/// A clock that moves only when told to: `advance(by:)` wakes every sleeper whose time has come.
public final class ManualClock: DaemonClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var sleepers: [(id: UUID, until: Date, continuation: CheckedContinuation<Void, Never>)] = []

    public init(at start: Date) { current = start }

    public func now() -> Date { lock.withLock { current } }

    public func sleep(seconds: Double) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: Bool = lock.withLock {
                    let until = current.addingTimeInterval(max(0, seconds))
                    if until <= current || Task.isCancelled { return true }
                    sleepers.append((id, until, continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            // A service told to stop wakes at once, as on the system clock.
            let woken: CheckedContinuation<Void, Never>? = lock.withLock {
                guard let i = sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return sleepers.remove(at: i).continuation
            }
            woken?.resume()
        }
    }

    /// Moves the clock on and wakes the sleepers that are due.
    public func advance(by seconds: Double) {
        let due: [CheckedContinuation<Void, Never>] = lock.withLock {
            current = current.addingTimeInterval(seconds)
            let now = current
            let woken = sleepers.filter { $0.until <= now }.map(\.continuation)
            sleepers.removeAll { $0.until <= now }
            return woken
        }
        due.forEach { $0.resume() }
    }

    /// How many tasks wait on this clock (a test can wait until the daemon is asleep again).
    public var sleeping: Int { lock.withLock { sleepers.count } }
}
