import Foundation
import History

/// The fleet's shared history in PostgreSQL: every agent's rows under its agent id, with the
/// position each agent has forwarded to, so a site that lost the centre catches up exactly once.
public final class FleetDatabase {
    let connection: PostgresConnection
    public let agent: String

    public init(url: String, password: String?, agent: String) throws(FleetError) {
        connection = try PostgresConnection(url: url, password: password)
        self.agent = agent
    }

    public var isConnected: Bool { connection.isOK }

    /// Versioned migrations, applied under a transaction-scoped advisory lock: agents starting at
    /// once take turns, and each version is applied once. Migrations only add (tables, nullable
    /// columns), so an older agent keeps writing what it knows into a newer schema.
    public static let migrations: [String] = [
        """
        CREATE TABLE fleet_agent (agent text PRIMARY KEY, version text NOT NULL, first_seen timestamptz NOT NULL DEFAULT now(),
                                  last_seen timestamptz NOT NULL DEFAULT now());
        CREATE TABLE fleet_cursor (agent text NOT NULL, stream text NOT NULL, position double precision NOT NULL, PRIMARY KEY (agent, stream));
        CREATE TABLE fleet_events (agent text NOT NULL, id text NOT NULL, t double precision NOT NULL, target text NOT NULL, card text NOT NULL,
                                   state text NOT NULL, document text NOT NULL, PRIMARY KEY (agent, id));
        CREATE INDEX fleet_events_time ON fleet_events (t);
        CREATE TABLE fleet_findings (agent text NOT NULL, t double precision NOT NULL, target text NOT NULL, card text NOT NULL,
                                     instance text NOT NULL, run text NOT NULL, level integer NOT NULL, severity integer NOT NULL, reason text,
                                     PRIMARY KEY (agent, target, card, instance, t));
        CREATE TABLE fleet_card_days (agent text NOT NULL, day double precision NOT NULL, target text NOT NULL, card text NOT NULL,
                                      checks bigint NOT NULL, abnormal bigint NOT NULL, unknown bigint NOT NULL, worst integer NOT NULL,
                                      reason text, reason_zh text, PRIMARY KEY (agent, day, target, card));
        CREATE TABLE fleet_hourly (agent text NOT NULL, hour double precision NOT NULL, target text NOT NULL, metric text NOT NULL,
                                   instance text NOT NULL, unit text NOT NULL, min double precision NOT NULL, avg double precision NOT NULL,
                                   max double precision NOT NULL, count bigint NOT NULL, PRIMARY KEY (agent, target, metric, instance, hour));
        CREATE TABLE fleet_outages (agent text NOT NULL, target text NOT NULL, kind text NOT NULL, start double precision NOT NULL,
                                    stop double precision NOT NULL, PRIMARY KEY (agent, target, kind, start));
        CREATE TABLE fleet_inventory (agent text NOT NULL, target text NOT NULL, field text NOT NULL, value text NOT NULL,
                                      updated double precision NOT NULL, PRIMARY KEY (agent, target, field));
        CREATE TABLE fleet_targets (agent text NOT NULL, target text NOT NULL, labels jsonb NOT NULL, updated timestamptz NOT NULL DEFAULT now(),
                                    PRIMARY KEY (agent, target));
        """,
    ]

    /// An arbitrary constant: the advisory lock every agent's migration takes.
    static let migrationLock = "727274001"

    /// Brings the schema up to this build's version; returns the version found after.
    @discardableResult
    public func migrate(version: String) throws(FleetError) -> Int {
        let found = try connection.transaction { () throws(FleetError) -> Int in
            try connection.execute("SELECT pg_advisory_xact_lock(\(Self.migrationLock))")
            try connection.execute("CREATE TABLE IF NOT EXISTS inspect_schema (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now(), agent text)")
            let current = try connection.execute("SELECT COALESCE(MAX(version), 0) FROM inspect_schema").first?.first.flatMap { $0 }.flatMap { Int($0) } ?? 0
            for (index, sql) in Self.migrations.enumerated() where index + 1 > current {
                try connection.script(sql)
                try connection.execute("INSERT INTO inspect_schema (version, agent) VALUES ($1, $2)", [String(index + 1), agent])
            }
            return max(current, Self.migrations.count)
        }
        try connection.execute("""
            INSERT INTO fleet_agent (agent, version) VALUES ($1, $2)
            ON CONFLICT (agent) DO UPDATE SET version = EXCLUDED.version, last_seen = now()
            """, [agent, version])
        return found
    }

    /// Where this agent's streams stand in the database.
    public func cursors() throws(FleetError) -> [FleetStream: Double] {
        var out: [FleetStream: Double] = [:]
        for row in try connection.execute("SELECT stream, position FROM fleet_cursor WHERE agent = $1", [agent]) {
            if let name = row[0], let stream = FleetStream(rawValue: name), let p = row[1].flatMap(Double.init) { out[stream] = p }
        }
        return out
    }

    /// Writes a batch of one stream and moves the stream's cursor, in one transaction: either
    /// both land or neither, so a batch is never counted twice or skipped. The keys make a row
    /// sent again a no-op (or, for rows that still change, a replacement).
    public func write(_ stream: FleetStream, rows: [[FleetValue]], cursor: Double) throws(FleetError) {
        try connection.transaction { () throws(FleetError) in
            let columns = ["agent"] + stream.columns
            let conflict = "(agent, \(stream.key.joined(separator: ", ")))"
            let action = stream.replaces
                ? "DO UPDATE SET " + stream.columns.filter { !stream.key.contains($0) }.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
                : "DO NOTHING"
            // libpq takes at most 65,535 parameters per statement.
            let perStatement = max(1, 60_000 / columns.count)
            var start = 0
            while start < rows.count {
                let chunk = rows[start..<min(rows.count, start + perStatement)]
                var parameters: [String?] = []
                var tuples: [String] = []
                for row in chunk {
                    let base = parameters.count
                    parameters.append(agent)
                    parameters += row.map(\.parameter)
                    tuples.append("(" + (1...columns.count).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
                }
                try connection.execute("INSERT INTO fleet_\(stream.rawValue) (\(columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", ")) ON CONFLICT \(conflict) \(action)",
                                       parameters)
                start += perStatement
            }
            try connection.execute("""
                INSERT INTO fleet_cursor (agent, stream, position) VALUES ($1, $2, $3)
                ON CONFLICT (agent, stream) DO UPDATE SET position = EXCLUDED.position
                """, [agent, stream.rawValue, String(cursor)])
        }
    }

    /// Records each target's labels (site, room...) for the fleet reports' grouping.
    public func writeTargets(_ labels: [String: [String: String]]) throws(FleetError) {
        guard !labels.isEmpty else { return }
        try connection.transaction { () throws(FleetError) in
            for (target, l) in labels {
                let json = String(decoding: (try? JSONSerialization.data(withJSONObject: l, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self)
                try connection.execute("""
                    INSERT INTO fleet_targets (agent, target, labels) VALUES ($1, $2, $3::jsonb)
                    ON CONFLICT (agent, target) DO UPDATE SET labels = EXCLUDED.labels, updated = now()
                    """, [agent, target, json])
            }
        }
    }
}
