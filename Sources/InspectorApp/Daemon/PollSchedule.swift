import Foundation

/// When each target is due. Starts are spread by a random share of the interval (jitter) so
/// targets do not fire together; a target still running when its slot comes skips that slot
/// instead of stacking runs. Pure: time comes in.
///
/// The daemon asks `due` on every tick (several times a second with short intervals), so the
/// entries are kept as an array in id order with counts kept up to date: a tick is one pass over
/// plain values, not a sort of every id and a hash lookup per target (6 % of a
/// 10,000-target daemon's CPU).
struct PollSchedule: Sendable {
    struct Entry: Sendable {
        var id: String
        var interval: Double
        var next: Date
        var running = false
        var skipped = 0
    }

    /// In id order once `due` has run (new ids wait at the end until then).
    private var list: [Entry] = []
    private var position: [String: Int] = [:]
    private var sorted = true
    /// How many entries are running.
    private(set) var running = 0
    /// How many entries have each interval: a config has a handful of distinct ones.
    private var intervals: [Double: Int] = [:]
    let jitter: Double

    init(jitter: Double) { self.jitter = jitter }

    func entry(_ id: String) -> Entry? { position[id].map { list[$0] } }

    /// The shortest interval of any entry.
    var shortestInterval: Double? { intervals.keys.min() }

    /// Adds or updates a target; a new one starts within the first `jitter x interval`.
    mutating func set(_ id: String, interval: Double, now: Date, random: (Double) -> Double = { Double.random(in: 0...$0) }) {
        if let i = position[id] {
            count(list[i].interval, -1)
            list[i].interval = interval
        } else {
            if let last = list.last, last.id > id { sorted = false }
            position[id] = list.count
            list.append(Entry(id: id, interval: interval, next: now.addingTimeInterval(random(jitter * interval))))
        }
        count(interval, 1)
    }

    mutating func keep(only ids: Set<String>) {
        list.removeAll { !ids.contains($0.id) }
        reindex()
    }

    /// Targets to start now, at most `limit` more than are already running. Overrun targets
    /// move to their next slot.
    mutating func due(at now: Date, limit: Int) -> [String] {
        if !sorted {
            list.sort { $0.id < $1.id }
            sorted = true
            reindex()
        }
        var start: [String] = []
        for i in list.indices where list[i].next <= now {
            if list[i].running {
                list[i].skipped += 1
                list[i].next = nextSlot(after: list[i].next, interval: list[i].interval, now: now)
            } else if running < limit {
                list[i].running = true
                running += 1
                list[i].next = nextSlot(after: list[i].next, interval: list[i].interval, now: now)
                start.append(list[i].id)
            }
        }
        return start
    }

    mutating func finished(_ id: String) {
        guard let i = position[id], list[i].running else { return }
        list[i].running = false
        running -= 1
    }

    /// Keeps the cadence; after a long pause (a suspended host) it resumes from now.
    func nextSlot(after slot: Date, interval: Double, now: Date) -> Date {
        let next = slot.addingTimeInterval(interval)
        return next > now ? next : now.addingTimeInterval(interval)
    }

    private mutating func reindex() {
        position = Dictionary(uniqueKeysWithValues: list.enumerated().map { ($1.id, $0) })
        running = list.filter(\.running).count
        intervals = [:]
        for e in list { count(e.interval, 1) }
    }

    private mutating func count(_ interval: Double, _ change: Int) {
        let n = intervals[interval, default: 0] + change
        intervals[interval] = n > 0 ? n : nil
    }
}
