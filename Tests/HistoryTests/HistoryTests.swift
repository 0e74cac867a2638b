import Foundation
import Testing
@testable import History
import GRDB
@testable import InspectorCore

struct HistoryTests {
    /// On an hour boundary: roll-up buckets are aligned to the epoch.
    let t0 = Date(timeIntervalSince1970: 1_794_999_600)

    func history() throws -> History {
        try History(path: NSTemporaryDirectory() + "inspect-history-\(UUID().uuidString)/history.sqlite")
    }

    func room(_ celsius: Double) -> TargetReadings {
        TargetReadings(target: Target(id: "room-a", kind: .sensor, address: "snmp://x"),
                       readings: [Reading(metric: "temperature.celsius", instance: "s1", value: .number(celsius), unit: "°C", source: "OID x"),
                                  Reading(metric: "contact.state", instance: "s2", value: .state("dry"), source: "OID y")],
                       inventory: ["model": "SC-TS01"])
    }

    @Test func gradientNeedsEnoughHistoryThenFollowsTheSamples() throws {
        let h = try history()
        try h.record([room(22)], at: t0)
        #expect(try h.ratePerHour(target: "room-a", metric: "temperature.celsius", instance: "s1", now: t0) == nil)
        try h.record([room(23)], at: t0.addingTimeInterval(300))
        #expect(try h.ratePerHour(target: "room-a", metric: "temperature.celsius", instance: "s1", now: t0.addingTimeInterval(300)) == nil)  // 5 min < 10 min
        try h.record([room(25)], at: t0.addingTimeInterval(1800))
        // +3 C in half an hour: 6 C per hour.
        #expect(try h.ratePerHour(target: "room-a", metric: "temperature.celsius", instance: "s1", now: t0.addingTimeInterval(1800)) == 6)
        // States are not samples; inventory is kept.
        #expect(try h.counts()["sample"] == 3)
        #expect(try h.counts()["inventory"] == 1)
    }

    @Test func rollupsKeepMinAvgMaxAndRetentionDropsOldRows() throws {
        let h = try history()
        for i in 0..<12 { try h.record([room(20 + Double(i % 3))], at: t0.addingTimeInterval(Double(i) * 60)) }   // 20,21,22 over 12 min
        var retention = History.Retention()
        retention.raw = 3600
        try h.prune(now: t0.addingTimeInterval(2 * 3600), retention: retention)
        #expect(try h.counts()["sample"] == 0)
        let five = try h.rollups(target: "room-a", metric: "temperature.celsius", instance: "s1", resolution: 300)
        #expect(five.count == 3)                            // minutes 0-4, 5-9, 10-11
        #expect(five[0].1 == 20 && five[0].3 == 22)
        #expect(abs(five[0].2 - 20.8) < 1e-9)               // 20,21,22,20,21
        retention.fiveMinute = 600
        try h.prune(now: t0.addingTimeInterval(2 * 3600), retention: retention)
        let hourly = try h.rollups(target: "room-a", metric: "temperature.celsius", instance: "s1", resolution: 3600)
        #expect(hourly.count == 1 && hourly[0].1 == 20 && hourly[0].3 == 22)
        #expect(abs(hourly[0].2 - 21) < 1e-9)               // 12 samples, 4 of each
        retention.hourly = 60
        try h.prune(now: t0.addingTimeInterval(3 * 86400), retention: retention)
        #expect(try h.counts()["rollup"] == 0)
    }

    /// A series keeps the unit its readings came with; the daily summary and the trend keys
    /// carry it (reports no longer guess a unit from the metric's name).
    @Test func seriesKeepTheirUnit() throws {
        let h = try history()
        var fahrenheit = room(70)
        fahrenheit.readings[0] = Reading(metric: "room.custom", instance: "s1", value: .number(70), unit: "°F", source: "OID z")
        try h.record([room(21), fahrenheit], at: t0)
        let daily = try h.daily(period: "d", from: t0.addingTimeInterval(-60), to: t0.addingTimeInterval(60))
        #expect(daily.series.first { $0.metric == "temperature.celsius" }?.unit == "°C")
        #expect(daily.series.first { $0.metric == "room.custom" }?.unit == "°F")
        let keys = try h.seriesKeys(metrics: ["room.custom"], from: t0.addingTimeInterval(-60), to: t0.addingTimeInterval(60))
        #expect(keys.map(\.unit) == ["°F"])
    }

    /// The second poll of a series writes through the cached id and still moves the catalogue's `last`.
    /// `inspect now`'s history remembers no series ids and keeps a small page cache; what it
    /// writes is what any history writes, run after run, and the daemon's history reads it.
    @Test func aSingleRunsHistoryRecordsLikeAnyOther() throws {
        let path = NSTemporaryDirectory() + "inspect-history-\(UUID().uuidString)/history.sqlite"
        for (i, celsius) in [22.0, 23, 25].enumerated() {
            let run = try History(path: path, singleRun: true)
            try run.record([room(celsius)], at: t0.addingTimeInterval(Double(i) * 900))
            #expect(try run.pool.read { try Int.fetchOne($0, sql: "PRAGMA cache_size") } == -512)
        }
        let daemon = try History(path: path)
        #expect(try daemon.pool.read { try Int.fetchOne($0, sql: "PRAGMA cache_size") } != -512)
        #expect(try daemon.samples(target: "room-a", metric: "temperature.celsius", instance: "s1", from: t0, to: t0.addingTimeInterval(1800)).map(\.1) == [22, 23, 25])
        #expect(try daemon.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM series") } == 1)
        #expect(try daemon.ratePerHour(target: "room-a", metric: "temperature.celsius", instance: "s1", now: t0.addingTimeInterval(1800)) == 6)
    }

    @Test func knownSeriesKeepTheCatalogueCurrent() throws {
        let h = try history()
        try h.record([room(21)], at: t0)
        try h.record([room(22)], at: t0.addingTimeInterval(3 * 86400))
        let later = try h.seriesKeys(metrics: ["temperature.celsius"], from: t0.addingTimeInterval(2 * 86400), to: t0.addingTimeInterval(4 * 86400))
        #expect(later.map(\.instance) == ["s1"])
        #expect(try h.counts()["series"] == 1 && h.counts()["sample"] == 2)
        #expect(try h.samples(target: "room-a", metric: "temperature.celsius", instance: "s1", from: t0, to: t0.addingTimeInterval(4 * 86400))
                    .map(\.1) == [21, 22])
    }

    /// The id cache is per target: two targets with the same metric and instance keep two series,
    /// and a metric that appears on a later poll joins the cached ones.
    @Test func cachedSeriesStayApartPerTargetAndGrowWithNewMetrics() throws {
        let h = try history()
        func poll(_ id: String, _ values: [(String, Double)]) -> TargetReadings {
            TargetReadings(target: Target(id: id, kind: .sensor, address: "snmp://x"),
                           readings: values.map { Reading(metric: $0.0, instance: "s1", value: .number($0.1), unit: "°C", source: "OID x") },
                           inventory: ["location": "机房 A 列"])
        }
        try h.record([poll("room-a", [("temperature.celsius", 21)]), poll("room-b", [("temperature.celsius", 31)])], at: t0)
        try h.record([poll("room-a", [("temperature.celsius", 22), ("humidity.percent", 40)]), poll("room-b", [("temperature.celsius", 32)])],
                     at: t0.addingTimeInterval(60))
        let span = (t0, t0.addingTimeInterval(120))
        #expect(try h.samples(target: "room-a", metric: "temperature.celsius", instance: "s1", from: span.0, to: span.1).map(\.1) == [21, 22])
        #expect(try h.samples(target: "room-b", metric: "temperature.celsius", instance: "s1", from: span.0, to: span.1).map(\.1) == [31, 32])
        #expect(try h.samples(target: "room-a", metric: "humidity.percent", instance: "s1", from: span.0, to: span.1).map(\.1) == [40])
        #expect(try h.counts()["series"] == 3)
        // `last` follows the newest poll for cached and new series alike.
        let last = try h.pool.read { try Double.fetchAll($0, sql: "SELECT last FROM series") }
        #expect(last == [t0.addingTimeInterval(60).timeIntervalSince1970, t0.addingTimeInterval(60).timeIntervalSince1970,
                         t0.addingTimeInterval(60).timeIntervalSince1970])
        #expect(try h.inventory()["room-b"]?["location"] == "机房 A 列")
    }

    /// Statements stepped through SQLite's own calls bind text whole (multi-byte, embedded NUL)
    /// and report a failure as GRDB's error, with SQLite's message and the statement.
    @Test func rawStatementsBindWholeTextAndReportFailures() throws {
        let h = try history()
        try h.pool.write { db in
            try db.execute(sql: "CREATE TABLE probe (a TEXT NOT NULL, b INTEGER, c REAL)")
            let insert = try RawStatement(db, sql: "INSERT INTO probe (a, b, c) VALUES (?, ?, ?) RETURNING b")
            insert.bind(1, "温度\u{0}传感器"); insert.bind(2, Int64(1) << 40); insert.bind(3, 0.1)
            #expect(try insert.run() == Int64(1) << 40)
            let empty = try RawStatement(db, sql: "INSERT INTO probe (b) VALUES (?)")
            empty.bind(1, Int64(7))
            let error = #expect(throws: DatabaseError.self) { try empty.run() }
            #expect(error?.message?.contains("NOT NULL constraint failed: probe.a") == true)
            #expect(error?.sql == "INSERT INTO probe (b) VALUES (?)")
        }
        // Compared as bytes: reading text back stops at the NUL.
        let row = try h.pool.read { try Row.fetchOne($0, sql: "SELECT hex(a) AS a, c FROM probe") }
        #expect(row?["a"] == Array("温度\u{0}传感器".utf8).map { String(format: "%02X", $0) }.joined())
        #expect(row?["c"] == 0.1)
    }

    /// Prunes that fall inside a 5-minute bucket roll it up once, whole, not half and then the other half.
    @Test func aBucketIsRolledUpWhole() throws {
        let h = try history()
        for i in 0..<5 { try h.record([room(Double(i + 1))], at: t0.addingTimeInterval(Double(i) * 60)) }   // 1..5 within one bucket
        var retention = History.Retention()
        retention.raw = 3600
        try h.prune(now: t0.addingTimeInterval(3600 + 150), retention: retention)    // the cut-off falls mid-bucket
        try h.prune(now: t0.addingTimeInterval(3600 + 400), retention: retention)
        let five = try h.rollups(target: "room-a", metric: "temperature.celsius", instance: "s1", resolution: 300)
        #expect(five.count == 1 && five[0].1 == 1 && five[0].3 == 5)
        #expect(five.first?.2 == 3)
        #expect(try h.counts()["sample"] == 0)
    }

    func finding(_ card: String, _ level: Level, reason: String? = nil) -> Finding {
        Finding(card: card, target: "room-a", instance: "s1", title: LocalizedText(card), level: level, severity: .p3, measured: [],
                limits: [], limitSource: .card, limitOrigin: "", sources: [], reason: reason.map { LocalizedText($0) }, evidence: [],
                remedy: nil, remarks: nil)
    }

    /// Raw findings go with the raw samples; the per-day counts that reports read stay.
    @Test func cardCountsOutliveRawFindings() throws {
        let h = try history()
        for i in 0..<10 {
            try h.record(findings: [finding("JF-001", i < 3 ? .warning : .ok),
                                    finding("JF-002", i == 9 ? .unknown : .ok, reason: i == 9 ? "timeout" : nil)],
                         run: "r\(i)", at: t0.addingTimeInterval(Double(i) * 60))
        }
        var retention = History.Retention()
        retention.raw = 3600
        try h.prune(now: t0.addingTimeInterval(2 * 3600), retention: retention)
        #expect(try h.counts()["finding"] == 0)
        let day = Calendar.current.startOfDay(for: t0)
        let cards = try h.cards(from: day, to: day.addingTimeInterval(86400))
        #expect(cards.count == 2)
        #expect(cards[0].card == "JF-001" && cards[0].checks == 10 && cards[0].abnormal == 3 && cards[0].worst == .warning)
        #expect(cards[1].unknown == 1 && cards[1].worst == .unknown && cards[1].unknownReason?.en == "timeout")
        #expect(try h.cards(from: day.addingTimeInterval(86400), to: day.addingTimeInterval(2 * 86400)).isEmpty)
    }

    /// The findings forwarded to the fleet go by whole polls: a batch ends before a poll it cannot
    /// hold, and a poll larger than a batch goes whole, so nothing is skipped past the cursor.
    @Test func fleetFindingsGoByWholePolls() throws {
        let h = try history()
        func poll(_ n: Int, at minute: Double) throws {
            try h.record(findings: (0..<n).map { var f = finding("C-\($0)", .ok); f.instance = "i"; return f }, run: "r", at: t0.addingTimeInterval(minute * 60))
        }
        try poll(3, at: 0)
        try poll(4, at: 1)
        try poll(12, at: 2)
        try poll(2, at: 3)
        var cursor = 0.0, batches: [Int] = []
        while true {
            let (rows, next) = try h.fleetRows(.findings, after: cursor, limit: 5, now: t0)
            if rows.isEmpty { break }
            batches.append(rows.count)
            #expect(next > cursor)
            cursor = next
        }
        #expect(batches == [3, 4, 12, 2])
    }

    /// A database written by an earlier version keeps its samples and roll-ups through the migrations.
    @Test func migrationsKeepEarlierData() throws {
        let path = NSTemporaryDirectory() + "inspect-history-\(UUID().uuidString).sqlite"
        let queue = try DatabaseQueue(path: path)
        try History.migrator.migrate(queue, upTo: "v3")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO sample (t, target, metric, instance, value) VALUES (?, 'room-a', 'temperature.celsius', 's1', 22)",
                           arguments: [t0.timeIntervalSince1970])
            try db.execute(sql: """
                INSERT INTO rollup (resolution, bucket, target, metric, instance, min, avg, max, count)
                VALUES (300, ?, 'room-a', 'temperature.celsius', 's1', 20, 21, 22, 5)
                """, arguments: [t0.timeIntervalSince1970 - 3600])
            try db.execute(sql: """
                INSERT INTO finding (t, run, target, card, instance, status, level, severity, reason)
                VALUES (?, 'r1', 'room-a', 'JF-001', 's1', 'abnormal', 'critical', 'P2', '31 °C')
                """, arguments: [t0.timeIntervalSince1970])
        }
        try queue.close()
        let h = try History(path: path)
        #expect(try h.counts()["sample"] == 1 && h.counts()["rollup"] == 1)
        let stats = try #require(try h.window(target: "room-a", metric: "temperature.celsius", instance: "s1",
                                              from: t0.addingTimeInterval(-7200), to: t0))
        #expect(stats.count == 6 && stats.min == 20 && stats.max == 22)
        #expect(abs(stats.avg - (21 * 5 + 22) / 6) < 1e-9)
        // Findings keep their level and severity, as numbers now.
        let finding = try h.pool.read { db in try Row.fetchOne(db, sql: "SELECT level, severity, reason FROM finding") }
        #expect(finding?["level"] as Int? == 3 && finding?["severity"] as Int? == 2 && finding?["reason"] as String? == "31 °C")
    }

    @Test func alertEventsAreKeptOnceEach() throws {
        let h = try history()
        let raised = AlertEvent(id: "e1", dedupKey: "k", state: .raised, card: "JF-001", target: "room-a", instance: "s1", item: "temp",
                                severity: .p2, level: .critical, measured: "31 °C", limit: "18 .. 27", reason: nil, detectedAt: t0,
                                firstAbnormalAt: t0, clearedAt: nil, slaDueAt: t0.addingTimeInterval(4 * 3600), escalation: nil, remedy: nil)
        var cleared = raised
        cleared.id = "e2"
        cleared.state = .cleared
        cleared.clearedAt = t0.addingTimeInterval(1800)
        try h.record(events: [raised])
        try h.record(events: [raised, cleared])     // a redelivery after a crash
        #expect(try h.events() == [raised, cleared])
        var retention = History.Retention()
        retention.hourly = 3600
        try h.prune(now: t0.addingTimeInterval(2 * 3600), retention: retention)
        #expect(try h.events().isEmpty)
    }

    @Test func aReaderAndAWriterShareTheDatabase() async throws {
        let h = try history()
        let reader = try History(path: h.path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { for i in 0..<200 { try h.record([self.room(Double(i))], at: self.t0.addingTimeInterval(Double(i))) } }
            group.addTask { for _ in 0..<50 { _ = try reader.counts() } }
            try await group.waitForAll()
        }
        #expect(try reader.counts()["sample"] == 200)
    }
}
