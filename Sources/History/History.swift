import Foundation
import GRDB
import InspectorCore

/// Readings and findings over time, in SQLite (WAL, so the daemon writes while `inspect report`
/// reads). Raw samples are kept for a while, then rolled up into 5-minute and hourly min/avg/max.
public final class History: Sendable {
    public typealias Retention = InspectorConfig.Retention

    let pool: DatabasePool
    public let path: String
    /// Series ids already known to this process: a poll of 1,000 devices writes 30,000 samples, and
    /// each would otherwise first upsert its series to learn the id. Nil for a single run's history.
    private let knownSeries: SeriesIDs?

    /// `singleRun`: the history of one `inspect now`, which writes each series once. It remembers
    /// no series ids (it would never read them back) and keeps SQLite's page cache to 512 KB, not
    /// 2 MB. Together that was 3.5 MB of a 1,000-target run's peak (issue 18).
    public init(path: String, singleRun: Bool = false) throws {
        self.path = path
        knownSeries = singleRun ? nil : SeriesIDs()
        try FileManager.default.createDirectory(atPath: FilePaths.parent(path), withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        if singleRun { configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -512") } }
        pool = try DatabasePool(path: path, configuration: configuration)
        try History.migrator.migrate(pool)
    }

    /// The id of a series, for `WHERE series = \(seriesID)` with (target, metric, instance) arguments.
    static let seriesID = "(SELECT id FROM series WHERE target = ? AND metric = ? AND instance = ?)"

    /// The start of the local day holding `t`, as stored in card_day: the local midnight before it,
    /// or the day's first moment where a clock change skips midnight. Through libc's time zone
    /// (TZ, else /etc/localtime), as `Calendar.current` reads it. Calendar would bring in ICU's
    /// calendar and locale code and data for every poll that records findings: 1.2 MB of ICU's data
    /// alone was resident at a 1,000-target run's peak (issue 18).
    static func day(of t: Date) -> Double {
        var seconds = time_t(t.timeIntervalSince1970.rounded(.down))
        var local = tm()
        if localtime_r(&seconds, &local) != nil {
            local.tm_hour = 0; local.tm_min = 0; local.tm_sec = 0
            local.tm_isdst = -1   // whichever offset midnight had, not the one of `t`
            let midnight = mktime(&local)
            if midnight != -1 { return Double(midnight) }
        }
        return Calendar.current.startOfDay(for: t).timeIntervalSince1970   // libc could not say
    }

    /// The numeric readings of one poll, and the target's inventory.
    public func record(_ data: [TargetReadings], at t: Date) throws {
        let time = t.timeIntervalSince1970
        // Ids learned here join the cache only once the transaction has committed.
        let learned = try pool.write { db -> [String: SeriesIDs.OfTarget] in
            var learned: [String: SeriesIDs.OfTarget] = [:]
            let insert = try RawStatement(db, sql: "INSERT OR REPLACE INTO sample (series, t, value) VALUES (?, ?, ?)")
            let catalogue = try RawStatement(db, sql: """
                INSERT INTO series (target, metric, instance, first, last, unit) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (target, metric, instance) DO UPDATE SET last = excluded.last, unit = excluded.unit RETURNING id
                """)
            let seen = try RawStatement(db, sql: "UPDATE series SET last = ? WHERE target = ?")
            let inventory = try RawStatement(db, sql: "INSERT OR REPLACE INTO inventory (target, field, value, updated) VALUES (?, ?, ?, ?)")
            insert.bind(2, time)
            // Through buffers, which lend their elements: a `for in` over the arrays copied each
            // target's readings and each Reading, retaining their fields.
            try data.withUnsafeBufferPointer { targets in
                for d in targets.indices {
                    let target = targets[d].target.id
                    let known = knownSeries?[target] ?? [:]
                    var new: SeriesIDs.OfTarget = [:]
                    var fromCache = false
                    try targets[d].readings.withUnsafeBufferPointer { readings in
                        for r in readings.indices {
                            guard let v = readings[r].number, v.isFinite else { continue }
                            let key = SeriesIDs.Key(metric: readings[r].metric, instance: readings[r].instance)
                            var series = known[key]
                            if series != nil {
                                fromCache = true
                            } else {
                                catalogue.bind(1, target); catalogue.bind(2, key.metric); catalogue.bind(3, key.instance)
                                catalogue.bind(4, time); catalogue.bind(5, time); catalogue.bind(6, readings[r].unit)
                                series = try catalogue.run()
                                if let series { new[key] = series }
                            }
                            guard let series else { continue }
                            insert.bind(1, series); insert.bind(3, v)
                            try insert.run()
                        }
                    }
                    if knownSeries != nil, !new.isEmpty { learned[target] = new }
                    // The catalogue's `last` for series written from the cache: once per target, not per sample.
                    if fromCache { seen.bind(1, time); seen.bind(2, target); try seen.run() }
                    for (field, value) in targets[d].inventory {
                        inventory.bind(1, target); inventory.bind(2, field); inventory.bind(3, value); inventory.bind(4, time)
                        try inventory.run()
                    }
                }
            }
            return learned
        }
        knownSeries?.merge(learned)
    }

    /// A run's findings: kept as they are for the raw retention, and counted into card_day.
    public func record(findings: [Finding], run: String, at t: Date) throws {
        let day = History.day(of: t)
        try pool.write { db in
            let insert = try db.makeStatement(sql: "INSERT OR REPLACE INTO finding (t, run, target, card, instance, level, severity, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            let count = try db.makeStatement(sql: """
                INSERT INTO card_day (day, target, card, checks, abnormal, unknown, worst, reason, reason_zh) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)
                ON CONFLICT (day, target, card) DO UPDATE SET checks = checks + 1, abnormal = abnormal + excluded.abnormal,
                   unknown = unknown + excluded.unknown, worst = MAX(worst, excluded.worst), reason = COALESCE(excluded.reason, reason),
                   reason_zh = COALESCE(excluded.reason_zh, reason_zh)
                """)
            let backup = try db.makeStatement(sql: """
                INSERT INTO backup_record (target, taken, size_mb, result, level, seen) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (target, taken) DO UPDATE SET size_mb = COALESCE(excluded.size_mb, size_mb), result = excluded.result,
                   level = MAX(level, excluded.level), seen = excluded.seen
                """)
            for f in findings {
                let level = History.levels.firstIndex(of: f.level) ?? 0
                if let b = BackupRecord.from(f) {
                    try backup.execute(arguments: [b.target, b.taken.timeIntervalSince1970, b.sizeMB, b.result, level, t.timeIntervalSince1970])
                }
                try insert.execute(arguments: [t.timeIntervalSince1970, run, f.target, f.card, f.instance, level,
                                               Int(f.severity.rawValue.dropFirst()) ?? 0, f.reason?.en])
                try count.execute(arguments: [day, f.target, f.card, f.status == .abnormal ? 1 : 0, f.status == .unknown ? 1 : 0,
                                              level, f.status == .unknown ? f.reason?.en : nil,
                                              f.status == .unknown ? f.reason?.zh : nil])
            }
        }
    }

    /// A series' samples in [from, to], oldest first.
    public func samples(target: String, metric: String, instance: String, from: Date, to: Date) throws -> [(Date, Double)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT t, value FROM sample WHERE series = \(History.seriesID) AND t BETWEEN ? AND ? ORDER BY t",
                             arguments: [target, metric, instance, from.timeIntervalSince1970, to.timeIntervalSince1970])
                .map { (Date(timeIntervalSince1970: $0["t"]), $0["value"]) }
        }
    }

    /// Change per hour over the last `window` seconds: (newest - oldest) / hours between them.
    /// nil until the samples span at least `minimumSpan` seconds.
    public func ratePerHour(target: String, metric: String, instance: String, now: Date,
                            window: Double = 3600, minimumSpan: Double = 600) throws -> Double? {
        let s = try samples(target: target, metric: metric, instance: instance, from: now.addingTimeInterval(-window), to: now)
        guard let first = s.first, let last = s.last else { return nil }
        let span = last.0.timeIntervalSince(first.0)
        guard span >= minimumSpan else { return nil }
        return (last.1 - first.1) / (span / 3600)
    }

    /// Rolls raw samples older than `retention.raw` into 5-minute buckets and 5-minute buckets
    /// older than `retention.fiveMinute` into hourly ones; drops hourly ones past `retention.hourly`.
    public func prune(now: Date, retention: Retention = Retention()) throws {
        let t = now.timeIntervalSince1970
        // Cut-offs on bucket boundaries: a bucket is rolled up once, whole (a bucket split across
        // two prunes would be replaced by its second half).
        let rawCut = ((t - retention.raw) / 300).rounded(.down) * 300
        let fiveCut = ((t - retention.fiveMinute) / 3600).rounded(.down) * 3600
        try pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO rollup (series, resolution, bucket, min, avg, max, count)
                SELECT series, 300, CAST(t / 300 AS INTEGER) * 300, MIN(value), AVG(value), MAX(value), COUNT(*)
                FROM sample WHERE t < ? GROUP BY series, 3
                """, arguments: [rawCut])
            try db.execute(sql: "DELETE FROM sample WHERE t < ?", arguments: [rawCut])
            try db.execute(sql: """
                INSERT OR REPLACE INTO rollup (series, resolution, bucket, min, avg, max, count)
                SELECT series, 3600, CAST(bucket / 3600 AS INTEGER) * 3600, MIN(min), SUM(avg * count) / SUM(count), MAX(max), SUM(count)
                FROM rollup WHERE resolution = 300 AND bucket < ? GROUP BY series, 3
                """, arguments: [fiveCut])
            try db.execute(sql: "DELETE FROM rollup WHERE resolution = 300 AND bucket < ?", arguments: [fiveCut])
            try db.execute(sql: "DELETE FROM rollup WHERE resolution = 3600 AND bucket < ?", arguments: [t - retention.hourly])
            try db.execute(sql: "DELETE FROM finding WHERE t < ?", arguments: [t - retention.raw])
            try db.execute(sql: "DELETE FROM card_day WHERE day < ?", arguments: [t - retention.hourly])
            try db.execute(sql: "DELETE FROM backup_record WHERE taken < ?", arguments: [t - retention.hourly])
            try db.execute(sql: "DELETE FROM alert_event WHERE t < ?", arguments: [t - retention.hourly])
            try db.execute(sql: "DELETE FROM series WHERE last < ?", arguments: [t - retention.hourly])
        }
        knownSeries?.removeAll()   // ids of deleted series must not be reused from the cache
    }

    /// Each series' min/avg/max over [from, to) from raw samples and roll-ups, and each card's
    /// findings in that time.
    public func daily(period: String, from: Date, to: Date) throws -> DailySummary {
        let a = from.timeIntervalSince1970, b = to.timeIntervalSince1970
        return try pool.read { db in
            let series = try Row.fetchAll(db, sql: """
                SELECT s.target, s.metric, s.instance, s.unit, MIN(lo) AS lo, SUM(total) / SUM(n) AS mean, MAX(hi) AS hi, SUM(n) AS n FROM (
                  SELECT series, MIN(value) AS lo, SUM(value) AS total, MAX(value) AS hi, COUNT(*) AS n
                    FROM sample WHERE t >= ? AND t < ? GROUP BY series
                  UNION ALL
                  SELECT series, MIN(min), SUM(avg * count), MAX(max), SUM(count)
                    FROM rollup WHERE bucket >= ? AND bucket < ? GROUP BY series, resolution
                ) x JOIN series s ON s.id = x.series GROUP BY x.series ORDER BY s.target, s.metric, s.instance
                """, arguments: [a, b, a, b]).map {
                DailySummary.Series(target: $0["target"], metric: $0["metric"], instance: $0["instance"], unit: $0["unit"],
                                    min: $0["lo"], avg: $0["mean"], max: $0["hi"], count: $0["n"])
            }
            var summary = DailySummary(period: period, from: from, to: to, series: series, cards: try Self.cards(db, from: a, to: b))
            summary.backups = try Row.fetchAll(db, sql: """
                SELECT target, taken, size_mb, result, level FROM backup_record WHERE taken >= ? AND taken < ? ORDER BY taken, target
                """, arguments: [a, b]).map {
                BackupRecord(target: $0["target"], taken: Date(timeIntervalSince1970: $0["taken"]), sizeMB: $0["size_mb"],
                             result: $0["result"], level: History.levels[Int($0["level"] as Int64)])
            }
            return summary
        }
    }

    /// How each target's cards went over the local days in [from, to).
    public func cards(from: Date, to: Date) throws -> [DailySummary.CardDay] {
        try pool.read { db in try Self.cards(db, from: from.timeIntervalSince1970, to: to.timeIntervalSince1970) }
    }

    static func cards(_ db: Database, from a: Double, to b: Double) throws -> [DailySummary.CardDay] {
        try Row.fetchAll(db, sql: """
            SELECT target, card, SUM(checks) AS checks, SUM(abnormal) AS abnormal, SUM(unknown) AS unknown, MAX(worst) AS worst,
                   MAX(reason) AS reason, MAX(reason_zh) AS reason_zh
            FROM card_day WHERE day >= ? AND day < ? GROUP BY target, card ORDER BY target, card
            """, arguments: [a, b]).map { row in
            DailySummary.CardDay(target: row["target"], card: row["card"], checks: row["checks"], abnormal: row["abnormal"],
                                 unknown: row["unknown"], worst: levels[Int(row["worst"] as Int64)],
                                 unknownReason: (row["reason"] as String?).map { LocalizedText(zh: row["reason_zh"] ?? $0, en: $0) })
        }
    }

    /// Alert events as the daemon delivered them. Recording one twice keeps one (ids are unique).
    public func record(events: [AlertEvent]) throws {
        guard !events.isEmpty else { return }
        try pool.write { db in
            let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO alert_event (id, t, target, card, state, document) VALUES (?, ?, ?, ?, ?, ?)")
            for e in events {
                try insert.execute(arguments: [e.id, e.detectedAt.timeIntervalSince1970, e.target, e.card, e.state.rawValue,
                                               try History.eventCoder.encoder.encode(e)])
            }
        }
    }

    /// Records an outage no alert tells of (a reboot); the same start twice is kept once.
    public func record(outage kind: String, target: String, from: Date, to: Date) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO outage (target, kind, start, end) VALUES (?, ?, ?, ?)",
                           arguments: [target, kind, from.timeIntervalSince1970, to.timeIntervalSince1970])
        }
    }

    /// Outages overlapping [from, to).
    public func outages(from: Date, to: Date) throws -> [(target: String, kind: String, from: Date, to: Date)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT target, kind, start, end FROM outage WHERE end > ? AND start < ? ORDER BY start",
                             arguments: [from.timeIntervalSince1970, to.timeIntervalSince1970]).map { row in
                (row[0], row[1], Date(timeIntervalSince1970: row[2]), Date(timeIntervalSince1970: row[3]))
            }
        }
    }

    /// When history begins: its oldest card statistics or alert event (nil when empty), so a
    /// report compares with a year before only where history reaches that far.
    public func earliest() throws -> Date? {
        try pool.read { db in
            let t = try Double.fetchOne(db, sql: "SELECT MIN(t) FROM (SELECT MIN(day) AS t FROM card_day UNION ALL SELECT MIN(t) FROM alert_event)")
            return t.map { Date(timeIntervalSince1970: $0) }
        }
    }

    /// Alert events detected before `before` and within `lookback` of `since`, oldest first: what a
    /// period's report reads (an outage begun before the period still counts in it).
    public func events(since: Date, before: Date) throws -> [AlertEvent] {
        try pool.read { db in
            try Data.fetchAll(db, sql: "SELECT document FROM alert_event WHERE t >= ? AND t < ? ORDER BY t, id",
                              arguments: [since.timeIntervalSince1970, before.timeIntervalSince1970]).compactMap {
                try? History.eventCoder.decoder.decode(AlertEvent.self, from: $0)
            }
        }
    }

    /// Every stored alert event, oldest first (health reports pick their period's alerts).
    public func events() throws -> [AlertEvent] {
        try pool.read { db in
            try Data.fetchAll(db, sql: "SELECT document FROM alert_event ORDER BY t, id").compactMap {
                try? History.eventCoder.decoder.decode(AlertEvent.self, from: $0)
            }
        }
    }

    static let eventCoder: (encoder: JSONEncoder, decoder: JSONDecoder) = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys]
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return (e, d)
    }()

    /// Min/avg/max of one series over [from, to], from raw samples and roll-ups alike; nil when empty.
    public func window(target: String, metric: String, instance: String, from: Date, to: Date) throws -> WindowStats? {
        let a = from.timeIntervalSince1970, b = to.timeIntervalSince1970
        return try pool.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT MIN(lo) AS lo, SUM(total) / SUM(n) AS mean, MAX(hi) AS hi, SUM(n) AS n FROM (
                  SELECT MIN(value) AS lo, SUM(value) AS total, MAX(value) AS hi, COUNT(*) AS n
                    FROM sample WHERE series = \(History.seriesID) AND t >= ? AND t <= ?
                  UNION ALL
                  SELECT MIN(min), SUM(avg * count), MAX(max), SUM(count)
                    FROM rollup WHERE series = \(History.seriesID) AND bucket >= ? AND bucket <= ?
                )
                """, arguments: [target, metric, instance, a, b, target, metric, instance, a, b])
            guard let row, let n = row["n"] as Int?, n > 0 else { return nil }
            return WindowStats(min: row["lo"], avg: row["mean"], max: row["hi"], count: n)
        }
    }

    /// The (target, metric, instance) series of `metrics` that have data in [from, to).
    public func seriesKeys(metrics: [String], from: Date, to: Date) throws -> [(target: String, metric: String, instance: String, unit: String)] {
        let marks = metrics.map { _ in "?" }.joined(separator: ",")
        let a = from.timeIntervalSince1970, b = to.timeIntervalSince1970
        return try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT target, metric, instance, unit FROM series WHERE metric IN (\(marks)) AND last >= ? AND first < ?
                ORDER BY target, metric, instance
                """, arguments: StatementArguments(metrics + [a, b])!)
                .map { (target: $0["target"], metric: $0["metric"], instance: $0["instance"], unit: $0["unit"]) }
        }
    }

    /// Hourly averages of a series over [from, to), from raw samples and roll-ups alike.
    public func hourly(target: String, metric: String, instance: String, from: Date, to: Date) throws -> [(Date, Double)] {
        let a = from.timeIntervalSince1970, b = to.timeIntervalSince1970
        return try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT hour, SUM(total) / SUM(n) AS mean FROM (
                  SELECT CAST(t / 3600 AS INTEGER) * 3600 AS hour, SUM(value) AS total, COUNT(*) AS n FROM sample
                    WHERE series = \(History.seriesID) AND t >= ? AND t < ? GROUP BY hour
                  UNION ALL
                  SELECT CAST(bucket / 3600 AS INTEGER) * 3600, SUM(avg * count), SUM(count) FROM rollup
                    WHERE series = \(History.seriesID) AND bucket >= ? AND bucket < ? GROUP BY 1
                ) GROUP BY hour ORDER BY hour
                """, arguments: [target, metric, instance, a, b, target, metric, instance, a, b])
                .map { (Date(timeIntervalSince1970: $0["hour"]), $0["mean"]) }
        }
    }

    /// What each target last reported about itself (model, serial, firmware...).
    public func inventory() throws -> [String: [String: String]] {
        try pool.read { db in
            var out: [String: [String: String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT target, field, value FROM inventory") {
                out[row["target"], default: [:]][row["field"]] = row["value"]
            }
            return out
        }
    }

    /// Benchmarks: copies every row of `target` under the names `prefix1`, `prefix2`... (SQL only).
    public func clone(target: String, copies: Int, prefix: String) throws {
        try pool.write { db in
            for i in 1...max(1, copies) {
                let name = "\(prefix)\(i)"
                try db.execute(sql: "INSERT OR IGNORE INTO series (target, metric, instance, first, last) SELECT ?, metric, instance, first, last FROM series WHERE target = ?",
                               arguments: [name, target])
                // Each of the target's series (o) and its copy's (n), by id.
                let pairs = "JOIN series o ON x.series = o.id AND o.target = ? JOIN series n ON n.target = ? AND n.metric = o.metric AND n.instance = o.instance"
                try db.execute(sql: "INSERT INTO sample (series, t, value) SELECT n.id, x.t, x.value FROM sample x \(pairs)", arguments: [target, name])
                try db.execute(sql: """
                    INSERT INTO rollup (series, resolution, bucket, min, avg, max, count)
                    SELECT n.id, x.resolution, x.bucket, x.min, x.avg, x.max, x.count FROM rollup x \(pairs)
                    """, arguments: [target, name])
                try db.execute(sql: "INSERT OR REPLACE INTO inventory SELECT ?, field, value, updated FROM inventory WHERE target = ?", arguments: [name, target])
                try db.execute(sql: "INSERT INTO finding SELECT t, ?, card, instance, run, level, severity, reason FROM finding WHERE target = ?",
                               arguments: [name, target])
                try db.execute(sql: "INSERT OR REPLACE INTO card_day SELECT day, ?, card, checks, abnormal, unknown, worst, reason, reason_zh FROM card_day WHERE target = ?",
                               arguments: [name, target])
            }
        }
    }

    /// Bytes the database takes on disk (with its WAL), after a checkpoint.
    public func diskBytes() throws -> Int {
        _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        return [path, path + "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }.reduce(0, +)
    }

    /// Rows per table, for tests and benchmarks.
    public func counts() throws -> [String: Int] {
        try pool.read { db in
            var out: [String: Int] = [:]
            for table in ["sample", "rollup", "finding", "inventory", "series", "card_day", "alert_event"] {
                out[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return out
        }
    }

    /// Roll-up rows of a series at a resolution (300 or 3600 seconds): bucket start, min, avg, max.
    public func rollups(target: String, metric: String, instance: String, resolution: Int) throws -> [(Date, Double, Double, Double)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT bucket, min, avg, max FROM rollup WHERE resolution = ? AND series = \(History.seriesID) ORDER BY bucket",
                             arguments: [resolution, target, metric, instance])
                .map { (Date(timeIntervalSince1970: $0["bucket"]), $0["min"], $0["avg"], $0["max"]) }
        }
    }
}
