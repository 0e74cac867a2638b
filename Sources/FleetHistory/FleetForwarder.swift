import Foundation
import History

/// Store and forward, as a Zabbix proxy does: the agent always writes its local SQLite, and this
/// sends what the fleet database lacks, stream by stream, in order, after the cursor the
/// database itself holds for this agent. An unreachable database costs nothing but a retry; when
/// it is back, the backlog follows in batches.
public final class FleetForwarder: @unchecked Sendable {
    let history: History
    let url: String
    let password: String?
    public let agent: String
    let version: String
    let batch: Int
    private var database: FleetDatabase?
    private var cursors: [FleetStream: Double] = [:]

    public init(history: History, url: String, password: String?, agent: String, version: String, batch: Int = 5_000) {
        self.history = history
        self.url = url
        self.password = password
        self.agent = agent
        self.version = version
        self.batch = batch
    }

    public struct Outcome: Sendable {
        /// Rows written per stream.
        public var rows: [FleetStream: Int] = [:]
        /// Whether anything is left to send now (a full batch went out).
        public var more = false
        public var total: Int { rows.values.reduce(0, +) }
    }

    /// Sends one batch of each stream. Throws when the database cannot be reached or refuses a
    /// write; the connection is then dropped and made again at the next call.
    public func forward(now: Date, targets: [String: [String: String]] = [:]) throws(FleetError) -> Outcome {
        let db = try connected(targets: targets)
        var outcome = Outcome()
        do {
            for stream in FleetStream.allCases {
                let after = cursors[stream] ?? 0
                let (rows, next) = try history.fleetRows(stream, after: after, limit: batch, now: now)
                guard !rows.isEmpty || next != after else { continue }
                try db.write(stream, rows: rows, cursor: next)
                cursors[stream] = next
                outcome.rows[stream] = rows.count
                if rows.count >= batch || (stream == .hourly && next < now.timeIntervalSince1970 - 7200) { outcome.more = true }
            }
        } catch let error as FleetError {
            database = nil
            throw error
        } catch {
            throw FleetError("local history not readable: \(error)")
        }
        return outcome
    }

    private func connected(targets: [String: [String: String]]) throws(FleetError) -> FleetDatabase {
        if let database, database.isConnected { return database }
        database = nil
        let fresh = try FleetDatabase(url: url, password: password, agent: agent)
        try fresh.migrate(version: version)
        cursors = try fresh.cursors()
        try fresh.writeTargets(targets)
        database = fresh
        return fresh
    }
}
