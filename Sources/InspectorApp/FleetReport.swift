import FleetHistory
import Foundation
import History
import InspectorCore
import Logging

/// `inspect report --fleet`: the fleet's rows for a period (and the year before it, for the
/// comparisons) copied from PostgreSQL into a scratch history, which the period reports read as
/// they read an agent's own.
public enum FleetReport {
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// The scratch history, and the config to report with: the fleet's targets (with the labels
    /// their agents sent: sla, site, room) in place of this host's own.
    public static func history(config: InspectorConfig, from: Date, to: Date, logger: Logger) throws -> (History, InspectorConfig) {
        guard let settings = config.fleetHistory else {
            throw Unavailable(description: "--fleet needs history.url (a postgres:// URL) in \(config.file)")
        }
        let password = try settings.secrets.flatMap { source throws(Secrets.Problem) in try Secrets.password(source) }
        let reader: FleetReader
        do { reader = try FleetReader(url: settings.url, password: password) } catch {
            throw Unavailable(description: "fleet history at \(settings.url) not reachable: \(error)")
        }
        let scratch = NSTemporaryDirectory() + "inspect-fleet-\(UUID().uuidString)"
        let history = try History(path: scratch + "/history.sqlite")
        // The previous period and the same period a year before, with the alert lookback before them.
        let rows = try reader.fill(history, from: from.addingTimeInterval(-430 * 86_400), to: to)
        let agents = (try? reader.agents().count) ?? 0
        logger.notice("fleet history read", metadata: ["agents": "\(agents)", "rows": "\(rows)"])
        var fleetConfig = config
        fleetConfig.local = nil
        fleetConfig.targets = try reader.targetLabels().sorted { $0.key < $1.key }.map { id, labels in
            Target(id: id, kind: .host, address: "", labels: labels)
        }
        return (history, fleetConfig)
    }
}
