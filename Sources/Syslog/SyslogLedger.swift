import Foundation

/// What the receiver has heard, per source address: counts by minute (the last two hours) and
/// by hour (the last eight days), and the latest lines at err or worse. The counts answer "how
/// many errors since the last inspection" without keeping every message; memory stays bounded
/// whatever a device sends. Thread-safe; the receiver writes, polls and reports read.
public final class SyslogLedger: @unchecked Sendable {
    public struct Settings: Sendable, Equatable {
        /// Messages per second a source may send before the rest are counted as dropped, unread.
        public var rateLimit: Double = 100
        /// Messages a source may send at once above the rate.
        public var burst: Double = 200
        /// Sources kept at most; a new one beyond this is counted in `refusedSources`.
        public var maxSources = 4096
        /// Lines at err or worse kept per source for evidence.
        public var keptLines = 50
        public init() {}
    }

    /// Counts of one minute or one hour.
    public struct Counts: Codable, Sendable, Equatable {
        public var total = 0, errors = 0, critical = 0, malformed = 0, dropped = 0
        public init() {}
        mutating func add(_ o: Counts) {
            total += o.total; errors += o.errors; critical += o.critical; malformed += o.malformed; dropped += o.dropped
        }
        func minus(_ o: Counts) -> Counts {
            var c = Counts()
            (c.total, c.errors, c.critical) = (max(0, total - o.total), max(0, errors - o.errors), max(0, critical - o.critical))
            (c.malformed, c.dropped) = (max(0, malformed - o.malformed), max(0, dropped - o.dropped))
            return c
        }
    }

    public struct Line: Codable, Sendable, Equatable {
        public var time: Double
        public var severity: Int
        public var app: String?
        public var text: String
    }

    struct Source: Codable {
        var firstHeard: Double
        var lastHeard: Double
        var minutes: [Int: Counts] = [:]
        var hours: [Int: Counts] = [:]
        var lines: [Line] = []
        var lastMalformed: String?
        /// Everything ever counted: a caller that kept the totals of its last look gets exact counts.
        var totals = Counts()
    }

    /// What the daemon writes to the state directory and `inspect now` reads.
    public struct Snapshot: Codable {
        public var version = 1
        public var since: Double
        var sources: [String: Source]
    }

    static let minuteSpan = 120      // minutes kept
    static let hourSpan = 8 * 24     // hours kept

    public var settings: Settings { lock.withLock { currentSettings } }
    private var currentSettings: Settings
    private let now: @Sendable () -> Date
    private let lock = NSLock()
    private var sources: [String: Source]
    private var buckets: [String: (tokens: Double, at: Double)] = [:]
    /// When this ledger began listening (or the oldest it restored).
    public let since: Date
    public private(set) var refusedSources = 0

    public init(settings: Settings = Settings(), restoring snapshot: Snapshot? = nil, now: @escaping @Sendable () -> Date = Date.init) {
        currentSettings = settings
        self.now = now
        sources = snapshot?.sources ?? [:]
        since = snapshot.map { Date(timeIntervalSince1970: $0.since) } ?? now()
    }

    /// A reload's new rate limit applies from the next message.
    public func update(settings: Settings) { lock.withLock { currentSettings = settings } }

    /// The token bucket: true when the source may be heard now. A message refused is counted
    /// as dropped, never parsed, so a flood costs little and stalls no other source.
    public func admit(_ source: String) -> Bool {
        let t = now().timeIntervalSince1970
        return lock.withLock {
            var b = buckets[source] ?? (currentSettings.burst, t)
            b.tokens = min(currentSettings.burst, b.tokens + max(0, t - b.at) * currentSettings.rateLimit)
            b.at = t
            let admitted = b.tokens >= 1
            if admitted { b.tokens -= 1 }
            buckets[source] = b
            if !admitted { count(source, at: t) { $0.dropped += 1 } }
            return admitted
        }
    }

    public func record(_ source: String, _ message: SyslogMessage) {
        let t = now().timeIntervalSince1970
        lock.withLock {
            count(source, at: t) { c in
                c.total += 1
                if message.severity <= 3 { c.errors += 1 }
                if message.severity <= 2 { c.critical += 1 }
            }
            guard message.severity <= 3, sources[source] != nil else { return }
            sources[source]!.lines.append(Line(time: t, severity: message.severity, app: message.app, text: message.text))
            if sources[source]!.lines.count > currentSettings.keptLines { sources[source]!.lines.removeFirst() }
        }
    }

    public func recordMalformed(_ source: String, _ why: SyslogMalformed) {
        let t = now().timeIntervalSince1970
        lock.withLock {
            count(source, at: t) { $0.malformed += 1 }
            sources[source]?.lastMalformed = why.description
        }
    }

    /// Under the lock.
    private func count(_ source: String, at t: Double, _ change: (inout Counts) -> Void) {
        if sources[source] == nil {
            guard sources.count < currentSettings.maxSources else { refusedSources += 1; return }
            sources[source] = Source(firstHeard: t, lastHeard: t)
        }
        let minute = Int(t / 60), hour = Int(t / 3600)
        sources[source]!.lastHeard = t
        change(&sources[source]!.totals)
        change(&sources[source]!.minutes[minute, default: Counts()])
        change(&sources[source]!.hours[hour, default: Counts()])
        // Pruned as a source's buckets are touched, and at each snapshot.
        if sources[source]!.minutes.count > Self.minuteSpan + 10 { prune(source, now: t) }
        if sources[source]!.hours.count > Self.hourSpan + 10 { prune(source, now: t) }
    }

    private func prune(_ source: String, now t: Double) {
        let minute = Int(t / 60) - Self.minuteSpan, hour = Int(t / 3600) - Self.hourSpan
        sources[source]!.minutes = sources[source]!.minutes.filter { $0.key > minute }
        sources[source]!.hours = sources[source]!.hours.filter { $0.key > hour }
    }

    public func snapshot() -> Snapshot {
        let t = now().timeIntervalSince1970
        return lock.withLock {
            for key in sources.keys { prune(key, now: t) }
            // A source silent for longer than the hourly span is forgotten.
            sources = sources.filter { t - $0.value.lastHeard < Double(Self.hourSpan) * 3600 }
            return Snapshot(since: since.timeIntervalSince1970, sources: sources)
        }
    }

    public var heardSources: [String] { lock.withLock { sources.keys.sorted() } }

    /// Everything heard from these addresses since `start`; nil when none of them was ever heard.
    /// With `after` (the `totals` of the caller's last look) the counts are exact; without, they
    /// are whole minutes (or hours, for a start older than two hours).
    public func summary(of addresses: [String], since start: Date, after: Counts? = nil) -> SyslogSummary? {
        lock.withLock { SyslogSummary(Array(addresses.compactMap { sources[$0] }), since: start, after: after, now: now(), ledgerSince: since) }
    }
}

/// The answer for one device: counts since a time, and the worst recent lines.
public struct SyslogSummary: Sendable, Equatable {
    public var counts = SyslogLedger.Counts()
    /// Everything ever counted from these sources: the `after` of the next look.
    public var totals = SyslogLedger.Counts()
    /// Where the counts really start: `since`, or earlier when only hourly counts reach back that
    /// far (whole hours), or later when the ledger holds nothing older.
    public var countedFrom: Date
    public var firstHeard: Date
    public var lastHeard: Date
    public var lastMalformed: String?
    /// Lines at err or worse since `countedFrom`, the most severe first, the same text grouped.
    public var worst: [(count: Int, line: SyslogLedger.Line)] = []

    public static func == (a: Self, b: Self) -> Bool {
        a.counts == b.counts && a.countedFrom == b.countedFrom && a.worst.map(\.count) == b.worst.map(\.count)
            && a.worst.map(\.line) == b.worst.map(\.line)
    }

    init?(_ sources: [SyslogLedger.Source], since start: Date, after: SyslogLedger.Counts?, now: Date, ledgerSince: Date) {
        guard !sources.isEmpty else { return nil }
        let t = now.timeIntervalSince1970, began = ledgerSince.timeIntervalSince1970
        // Nothing older than the ledger or the hourly span is held; whole minutes or whole hours are counted.
        let s = max(start.timeIntervalSince1970, began, floor(t / 3600) * 3600 - Double(SyslogLedger.hourSpan) * 3600)
        let useMinutes = s >= t - Double(SyslogLedger.minuteSpan - 1) * 60
        let from = useMinutes ? floor(s / 60) * 60 : floor(s / 3600) * 3600
        for source in sources {
            if useMinutes {
                for (minute, c) in source.minutes where Double(minute) * 60 >= from { counts.add(c) }
            } else {
                for (hour, c) in source.hours where Double(hour) * 3600 >= from { counts.add(c) }
            }
        }
        countedFrom = Date(timeIntervalSince1970: max(from, began))
        for source in sources { totals.add(source.totals) }
        if let after {
            counts = totals.minus(after)
            countedFrom = start
        }
        firstHeard = Date(timeIntervalSince1970: sources.map(\.firstHeard).min()!)
        lastHeard = Date(timeIntervalSince1970: sources.map(\.lastHeard).max()!)
        lastMalformed = sources.compactMap(\.lastMalformed).first
        var groups: [String: (count: Int, line: SyslogLedger.Line)] = [:]
        for line in sources.flatMap(\.lines) where line.time >= countedFrom.timeIntervalSince1970 {
            let key = "\(line.severity)\u{1F}\(line.text)"
            if let g = groups[key] { groups[key] = (g.count + 1, line.time > g.line.time ? line : g.line) } else { groups[key] = (1, line) }
        }
        worst = groups.values.sorted {
            ($0.line.severity, -$0.count, -$0.line.time) < ($1.line.severity, -$1.count, -$1.line.time)
        }
    }
}
