import Foundation

/// When each target is due. Starts are spread by a random share of the interval (jitter) so
/// targets do not fire together; a target still running when its slot comes skips that slot
/// instead of stacking runs. Pure: time comes in.
struct PollSchedule: Sendable {
    struct Entry: Sendable {
        var interval: Double
        var next: Date
        var running = false
        var skipped = 0
    }

    private(set) var entries: [String: Entry] = [:]
    let jitter: Double

    init(jitter: Double) { self.jitter = jitter }

    /// Adds or updates a target; a new one starts within the first `jitter x interval`.
    mutating func set(_ id: String, interval: Double, now: Date, random: (Double) -> Double = { Double.random(in: 0...$0) }) {
        if var e = entries[id] {
            e.interval = interval
            entries[id] = e
        } else {
            entries[id] = Entry(interval: interval, next: now.addingTimeInterval(random(jitter * interval)))
        }
    }

    mutating func keep(only ids: Set<String>) { entries = entries.filter { ids.contains($0.key) } }

    /// Targets to start now, at most `limit` more than are already running. Overrun targets
    /// move to their next slot.
    mutating func due(at now: Date, limit: Int) -> [String] {
        var start: [String] = []
        var running = entries.values.filter(\.running).count
        for id in entries.keys.sorted() {
            guard var e = entries[id], e.next <= now else { continue }
            if e.running {
                e.skipped += 1
                e.next = nextSlot(after: e.next, interval: e.interval, now: now)
            } else if running < limit {
                e.running = true
                running += 1
                e.next = nextSlot(after: e.next, interval: e.interval, now: now)
                start.append(id)
            }
            entries[id] = e
        }
        return start
    }

    mutating func finished(_ id: String) { entries[id]?.running = false }

    var running: Int { entries.values.filter(\.running).count }

    /// Keeps the cadence; after a long pause (a suspended host) it resumes from now.
    func nextSlot(after slot: Date, interval: Double, now: Date) -> Date {
        let next = slot.addingTimeInterval(interval)
        return next > now ? next : now.addingTimeInterval(interval)
    }

    var earliest: Date? { entries.values.filter { !$0.running }.map(\.next).min() }
}
