import Foundation
import GRDB

/// A value of a row the fleet history forwards: what both SQLite and PostgreSQL hold.
public enum FleetValue: Sendable, Equatable {
    case text(String), real(Double), int(Int64), null

    /// As a libpq text parameter (nil is SQL NULL).
    public var parameter: String? {
        switch self {
        case .text(let s): s
        case .real(let d): String(d)
        case .int(let i): String(i)
        case .null: nil
        }
    }

    public var double: Double? {
        switch self {
        case .real(let d): d
        case .int(let i): Double(i)
        case .text(let s): Double(s)
        case .null: nil
        }
    }

    var database: (any DatabaseValueConvertible)? {
        switch self {
        case .text(let s): s
        case .real(let d): d
        case .int(let i): i
        case .null: nil
        }
    }

    static func from(_ value: DatabaseValue) -> FleetValue {
        switch value.storage {
        case .null: .null
        case .int64(let i): .int(i)
        case .double(let d): .real(d)
        case .string(let s): .text(s)
        case .blob(let b): .text(String(decoding: b, as: UTF8.self))
        }
    }
}

/// What the local history forwards to the fleet's PostgreSQL, stream by stream, each read after
/// a cursor (a position in the stream) and in order. Streams of rows that never change move the
/// cursor strictly past what was sent; streams of rows that keep changing (today's card counts,
/// the hour being filled, inventory) send again from the cursor on, and the database replaces.
public enum FleetStream: String, Sendable, CaseIterable {
    case events, findings, cardDays = "card_days", hourly, outages, inventory

    /// The columns as forwarded (the agent id comes first in PostgreSQL, then these).
    public var columns: [String] {
        switch self {
        case .events: ["id", "t", "target", "card", "state", "document"]
        case .findings: ["t", "target", "card", "instance", "run", "level", "severity", "reason"]
        case .cardDays: ["day", "target", "card", "checks", "abnormal", "unknown", "worst", "reason", "reason_zh"]
        case .hourly: ["hour", "target", "metric", "instance", "unit", "min", "avg", "max", "count"]
        case .outages: ["target", "kind", "start", "stop"]
        case .inventory: ["target", "field", "value", "updated"]
        }
    }

    /// The key (with the agent) that makes a second copy of a row a no-op or a replacement.
    public var key: [String] {
        switch self {
        case .events: ["id"]
        case .findings: ["target", "card", "instance", "t"]
        case .cardDays: ["day", "target", "card"]
        case .hourly: ["target", "metric", "instance", "hour"]
        case .outages: ["target", "kind", "start"]
        case .inventory: ["target", "field"]
        }
    }

    /// Whether a row sent again replaces the stored one (its values still change locally).
    public var replaces: Bool { [.cardDays, .hourly, .inventory, .outages].contains(self) }
}

extension History {
    /// Up to `limit` rows of a stream after `cursor`, oldest first, and the cursor after them
    /// (unchanged when there is nothing new). `now` bounds the hourly stream to finished hours.
    public func fleetRows(_ stream: FleetStream, after cursor: Double, limit: Int, now: Date) throws -> (rows: [[FleetValue]], cursor: Double) {
        try pool.read { db in
            func fetch(_ sql: String, _ arguments: StatementArguments) throws -> [[FleetValue]] {
                try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in row.databaseValues.map(FleetValue.from) }
            }
            switch stream {
            case .events:
                // The row id is the order of recording: strictly after the cursor, exactly once.
                let rows = try fetch("SELECT rowid, id, t, target, card, state, CAST(document AS TEXT) FROM alert_event WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                     [Int64(cursor), limit])
                return (rows.map { Array($0.dropFirst()) }, rows.last?.first?.double ?? cursor)
            case .findings:
                var rows = try fetch("SELECT t, target, card, instance, run, level, severity, reason FROM finding WHERE t > ? ORDER BY t LIMIT ?",
                                     [cursor, limit])
                // A poll's findings share their time, and the cursor is a time: a batch ends on a whole
                // poll. One poll larger than the batch goes whole (the rest of it would be skipped).
                if rows.count == limit, let last = rows.last?.first {
                    if rows.first?.first != last {
                        rows.removeAll { $0.first == last }
                    } else {
                        rows = try fetch("SELECT t, target, card, instance, run, level, severity, reason FROM finding WHERE t = ?", [last.database])
                    }
                }
                return (rows, rows.last?.first?.double ?? cursor)
            case .cardDays:
                let rows = try fetch("SELECT day, target, card, checks, abnormal, unknown, worst, reason, reason_zh FROM card_day WHERE day >= ? ORDER BY day, target, card LIMIT ?",
                                     [cursor, limit])
                return (rows, next(rows, column: 0, cursor: cursor, limit: limit))
            case .inventory:
                let rows = try fetch("SELECT target, field, value, updated FROM inventory WHERE updated >= ? ORDER BY updated, target, field LIMIT ?",
                                     [cursor, limit])
                return (rows, next(rows, column: 3, cursor: cursor, limit: limit))
            case .outages:
                let rows = try fetch("SELECT target, kind, start, end FROM outage WHERE start >= ? ORDER BY start, target, kind LIMIT ?", [cursor, limit])
                return (rows, next(rows, column: 2, cursor: cursor, limit: limit))
            case .hourly:
                // Finished hours after the cursor, a day at most per batch, from raw samples and roll-ups alike.
                let from = cursor > 0 ? cursor + 3600 : ((try Double.fetchOne(db, sql: "SELECT MIN(first) FROM series")) ?? now.timeIntervalSince1970)
                let start = (from / 3600).rounded(.down) * 3600
                let end = min(start + 86_400, (now.timeIntervalSince1970 / 3600).rounded(.down) * 3600)
                guard end > start else { return ([], cursor) }
                let rows = try fetch("""
                    SELECT hour, s.target, s.metric, s.instance, s.unit, MIN(lo), SUM(total) / SUM(n), MAX(hi), SUM(n) FROM (
                      SELECT series, CAST(t / 3600 AS INTEGER) * 3600 AS hour, MIN(value) AS lo, SUM(value) AS total, MAX(value) AS hi, COUNT(*) AS n
                        FROM sample WHERE t >= ? AND t < ? GROUP BY series, hour
                      UNION ALL
                      SELECT series, CAST(bucket / 3600 AS INTEGER) * 3600, MIN(min), SUM(avg * count), MAX(max), SUM(count)
                        FROM rollup WHERE bucket >= ? AND bucket < ? GROUP BY series, 2
                    ) x JOIN series s ON s.id = x.series GROUP BY x.series, hour ORDER BY hour, s.target, s.metric, s.instance
                    """, [start, end, start, end])
                return (rows, end - 3600)
            }
        }
    }

    /// For streams sent again from the cursor on: the cursor moves to the last row's position,
    /// or just past it when a whole batch shares one position (it would otherwise never move).
    private func next(_ rows: [[FleetValue]], column: Int, cursor: Double, limit: Int) -> Double {
        guard let last = rows.last?[column].double else { return cursor }
        return rows.count == limit && rows.first?[column].double == last ? last.nextUp : last
    }

    /// Writes rows read from the fleet's PostgreSQL into this (scratch) history, as if they had been
    /// recorded here: a fleet report then reads them through the same queries as a local one.
    public func importFleet(_ stream: FleetStream, rows: [[FleetValue]]) throws {
        guard !rows.isEmpty else { return }
        try pool.write { db in
            let sql: String
            switch stream {
            case .events: sql = "INSERT OR IGNORE INTO alert_event (id, t, target, card, state, document) VALUES (?, ?, ?, ?, ?, CAST(? AS BLOB))"
            case .findings: sql = "INSERT OR REPLACE INTO finding (t, target, card, instance, run, level, severity, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            case .cardDays: sql = "INSERT OR REPLACE INTO card_day (day, target, card, checks, abnormal, unknown, worst, reason, reason_zh) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            case .outages: sql = "INSERT OR REPLACE INTO outage (target, kind, start, end) VALUES (?, ?, ?, ?)"
            case .inventory: sql = "INSERT OR REPLACE INTO inventory (target, field, value, updated) VALUES (?, ?, ?, ?)"
            case .hourly:
                let series = try db.makeStatement(sql: """
                    INSERT INTO series (target, metric, instance, first, last, unit) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (target, metric, instance) DO UPDATE SET first = MIN(first, excluded.first), last = MAX(last, excluded.last)
                    RETURNING id
                    """)
                let rollup = try db.makeStatement(sql: "INSERT OR REPLACE INTO rollup (series, resolution, bucket, min, avg, max, count) VALUES (?, 3600, ?, ?, ?, ?, ?)")
                for r in rows {
                    let hour = r[0].database
                    guard let id = try Int64.fetchOne(series, arguments: [r[1].database, r[2].database, r[3].database, hour, hour, r[4].database]) else { continue }
                    try rollup.execute(arguments: [id, hour, r[5].database, r[6].database, r[7].database, r[8].database])
                }
                return
            }
            let statement = try db.makeStatement(sql: sql)
            for r in rows { try statement.execute(arguments: StatementArguments(r.map(\.database))) }
        }
    }
}
