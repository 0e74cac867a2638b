import Foundation
import History

/// Reads the whole fleet's rows back for the fleet reports. A target several agents poll (the
/// `replicas` label, two shards) is taken from one of them only, its primary: the agent with the
/// most checks of it in the time read, so it counts once.
public final class FleetReader: @unchecked Sendable {
    let connection: PostgresConnection

    public init(url: String, password: String?) throws(FleetError) {
        connection = try PostgresConnection(url: url, password: password)
    }

    /// Columns read back as numbers (the rest are text).
    static let integers: Set<String> = ["checks", "abnormal", "unknown", "worst", "level", "severity", "count"]
    static let reals: Set<String> = ["t", "day", "hour", "min", "avg", "max", "start", "stop", "updated"]

    /// The time column each stream is chosen by.
    static func time(_ stream: FleetStream) -> String? {
        switch stream {
        case .events, .findings: "t"
        case .cardDays: "day"
        case .hourly: "hour"
        case .outages: "stop"
        case .inventory: nil
        }
    }

    /// A stream's rows over [from, to) for every agent, one agent per target.
    public func rows(_ stream: FleetStream, from: Date, to: Date) throws(FleetError) -> [[FleetValue]] {
        let a = String(from.timeIntervalSince1970), b = String(to.timeIntervalSince1970)
        let when = Self.time(stream).map { "x.\($0) >= $1::float8 AND x.\($0) < $2::float8" } ?? "$1::float8 IS NOT NULL AND $2::float8 IS NOT NULL"
        let sql = """
            WITH checks AS (SELECT target, agent, SUM(checks) AS n FROM fleet_card_days WHERE day >= $1::float8 AND day < $2::float8 GROUP BY target, agent),
                 primary_agent AS (SELECT DISTINCT ON (target) target, agent FROM checks ORDER BY target, n DESC, agent)
            SELECT \(stream.columns.map { "x.\($0)" }.joined(separator: ", ")) FROM fleet_\(stream.rawValue) x
            LEFT JOIN primary_agent p ON p.target = x.target
            WHERE \(when) AND (p.agent IS NULL OR p.agent = x.agent)
            ORDER BY \(Self.time(stream).map { "x.\($0), " } ?? "")x.agent
            """
        return try connection.execute(sql, [a, b]).map { row in
            zip(stream.columns, row).map { column, value in
                guard let value else { return .null }
                if Self.integers.contains(column) { return Int64(value).map(FleetValue.int) ?? .null }
                if Self.reals.contains(column) { return Double(value).map(FleetValue.real) ?? .null }
                return .text(value)
            }
        }
    }

    /// Each target's labels as its agents last sent them (site, room...).
    public func targetLabels() throws(FleetError) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        for row in try connection.execute("SELECT target, labels::text FROM fleet_targets ORDER BY updated") {
            guard let target = row[0], let json = row[1],
                  let labels = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String] else { continue }
            out[target] = labels
        }
        return out
    }

    /// The agents that have written, with their versions.
    public func agents() throws(FleetError) -> [(agent: String, version: String)] {
        try connection.execute("SELECT agent, version FROM fleet_agent ORDER BY agent").map { ($0[0] ?? "", $0[1] ?? "") }
    }

    /// Copies the fleet's rows over [from, to) into a scratch history, which the period reports
    /// then read as they read a local one.
    public func fill(_ history: History, from: Date, to: Date) throws -> Int {
        var count = 0
        for stream in FleetStream.allCases where stream != .findings {
            let rows = try rows(stream, from: from, to: to)
            try history.importFleet(stream, rows: rows)
            count += rows.count
        }
        return count
    }
}
