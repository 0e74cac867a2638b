import Foundation

/// Bounds how many devices are polled at once (each is an open socket and a walk in progress on
/// the SNMP engine, and tens of KB of request, frame and readings); the others wait their turn,
/// first come first served. No threads: waiting is a suspended task.
///
/// With `patience`, a poll still out after that long is waiting on its device, not on this
/// process: it gives its place to the next in line and goes on in flight, up to `ceiling` polls in
/// flight in all. Devices that answer at once are then polled `size` at a time, which is all the
/// CPU needs; slow or silent ones raise the count towards `ceiling`, so that they cost only their
/// own time, not the others'.
public final class PollLimiter: @unchecked Sendable {
    private let lock = NSLock()
    /// Places free.
    private var free: Int
    /// Polls running, whether they hold a place or gave it up.
    private var running = 0
    private var parked = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var head = 0
    public let size: Int
    public let ceiling: Int
    public let patience: Double?

    public init(size: Int) {
        self.size = max(1, size)
        ceiling = self.size
        patience = nil
        free = self.size
    }

    /// `size` places; a poll out for `patience` seconds frees its place, up to `ceiling` in flight.
    public init(size: Int, ceiling: Int, patience: Double) {
        self.size = max(1, size)
        self.ceiling = max(self.size, ceiling)
        self.patience = patience
        free = self.size
    }

    /// Runs `body` once a place is free, and frees it after (or after `patience`).
    public func run<T: Sendable>(_ body: () async -> T) async -> T {
        await acquire()
        guard let patience else {
            defer { release(nil) }
            return await body()
        }
        let place = Place()
        // Holds only `place` until it fires; a poll that answered by then leaves it nothing to do.
        DispatchQueue.global().asyncAfter(deadline: .now() + patience) { [self] in park(place) }
        defer { release(place) }
        return await body()
    }

    /// Polls holding a place now (for tests and the bench).
    public var busy: Int { lock.withLock { size - free } }
    /// Polls in flight, with or without a place.
    public var inFlight: Int { lock.withLock { running } }
    /// Polls that gave up their place after `patience` and are still out.
    public var parkedCount: Int { lock.withLock { parked } }
    /// Polls waiting for a place.
    public var waitingCount: Int { lock.withLock { waiting.count - head } }

    /// One poll's hold on a place; the lock guards `holding`.
    private final class Place: @unchecked Sendable {
        var holding = true
    }

    private func acquire() async {
        await withCheckedContinuation { continuation in
            let now: Bool = lock.withLock {
                if free > 0, running < ceiling { free -= 1; running += 1; return true }
                waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func park(_ place: Place) {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            guard place.holding else { return nil }   // it answered already
            place.holding = false
            parked += 1
            free += 1
            return admit()
        }
        next?.resume()
    }

    /// `place`: nil without patience, where every poll holds its place to the end.
    private func release(_ place: Place?) {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            running -= 1
            if place?.holding ?? true { place?.holding = false; free += 1 } else { parked -= 1 }
            return admit()
        }
        next?.resume()   // the place passes straight to the next in line
    }

    /// The next in line, if a place and room in flight are free; under the lock.
    private func admit() -> CheckedContinuation<Void, Never>? {
        guard free > 0, running < ceiling, head < waiting.count else { return nil }
        free -= 1
        running += 1
        let next = waiting[head]
        head += 1
        // Drop the served part of the queue now and then instead of shifting it each time.
        if head > 64, head * 2 > waiting.count { waiting.removeFirst(head); head = 0 }
        return next
    }
}
