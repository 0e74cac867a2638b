import ArgumentParser
import FleetHistory
import Foundation
import History
import InspectorCore
import Notify

/// The fleet's engines, for Scripts/bench.sh: alerts posted into a real Alertmanager, and the
/// rows a fleet's agent has to forward into PostgreSQL after a database outage.
struct BenchFleet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet", abstract: "Alertmanager and PostgreSQL forwarding throughput.")

    @Option(help: "An Alertmanager's URL: post --alerts firing alerts to it.")
    var alertmanager: String?

    @Option(help: "Firing alerts in one picture.")
    var alerts = 10_000

    @Option(help: "A PostgreSQL URL: forward --minutes of a fleet's polls to it.")
    var postgres: String?

    @Option(help: "Devices polled during the outage.")
    var devices = 1_000

    @Option(help: "Cards judged per device per poll.")
    var cards = 10

    @Option(help: "Minutes the database was away (one poll a minute).")
    var minutes = 10

    @Option(help: "A scratch directory.")
    var state = NSTemporaryDirectory() + "inspect-bench-fleet"

    func run() async throws {
        if let alertmanager { try postAlerts(to: alertmanager) }
        if let postgres { try forward(to: postgres) }
    }

    /// One picture of `alerts` firing alerts (10 cards on alerts/10 devices), posted twice: the
    /// first post after the agent starts, then the resend.
    func postAlerts(to url: String) throws {
        let now = Date()
        var firing: [String: AlertmanagerAlert] = [:]
        for i in 0..<alerts {
            let target = "dev-\(i / 10)", card = "CARD-\(i % 10)"
            let event = AlertEvent(id: "e\(i)", dedupKey: "\(target)|\(card)|", state: .raised, card: card, target: target, instance: "",
                                   item: "bench item", severity: .p2, level: .critical, measured: "91 %", limit: "<= 80 %",
                                   reason: "above the limit", detectedAt: now, firstAbnormalAt: now, clearedAt: nil, slaDueAt: now.addingTimeInterval(14_400),
                                   escalation: nil, remedy: "reduce the load")
            firing[event.dedupKey] = AlertmanagerAlert.from(event, level: .critical, targetLabels: ["site": "bench", "room": "R\(i % 4)"],
                                                             agent: "bench", endsAt: now)
        }
        var config = AlertmanagerConfig()
        config.urls = [url]
        let forwarder = AlertmanagerForwarder(config: config, agent: "bench", startedAt: now)
        forwarder.update(firing: firing, clearedAt: { _ in nil }, at: now)
        let poster = WebhookPoster(timeout: 120)
        var seconds: [Double] = []
        for round in 0..<2 {
            let at = now.addingTimeInterval(Double(round) * (config.resend + 1))
            for (url, picture) in forwarder.due(at: at) {
                let start = Date()
                if let problem = forwarder.post(picture, to: url, poster: poster, at: at) { throw ValidationError(problem) }
                seconds.append(Date().timeIntervalSince(start))
            }
        }
        print(String(format: "am_alerts %d am_first_post_s %.3f am_resend_s %.3f", alerts + 1, seconds.first ?? -1, seconds.last ?? -1))
    }

    /// `minutes` of polls of `devices` × `cards` recorded locally while the database is away (and
    /// one alert raised and cleared per 10 devices), then forwarded until nothing is left.
    func forward(to url: String) throws {
        try? FileManager.default.removeItem(atPath: state)
        let history = try History(path: state + "/history.sqlite")
        let forwarder = FleetForwarder(history: history, url: url, password: nil, agent: "bench-\(getpid())", version: "bench")
        let start = Date().addingTimeInterval(-Double(minutes) * 60)
        _ = try forwarder.forward(now: start)   // connected and migrated before the outage
        for minute in 0..<minutes {
            let t = start.addingTimeInterval(Double(minute) * 60)
            var findings: [Finding] = []
            findings.reserveCapacity(devices * cards)
            for d in 0..<devices {
                for c in 0..<cards {
                    findings.append(Finding(card: "CARD-\(c)", target: "dev-\(d)", instance: "", title: LocalizedText("bench"),
                                            level: (d + c + minute) % 50 == 0 ? .warning : .ok, severity: .p3, measured: [], limits: [],
                                            limitSource: .card, limitOrigin: "", sources: [], reason: nil, evidence: [], remedy: nil, remarks: nil))
                }
            }
            try history.record(findings: findings, run: "bench-\(minute)", at: t)
        }
        var events: [AlertEvent] = []
        for d in stride(from: 0, to: devices, by: 10) {
            for state in [AlertEvent.State.raised, .cleared] {
                events.append(AlertEvent(id: "ev-\(d)-\(state.rawValue)", dedupKey: "dev-\(d)|REACH|", state: state, card: "REACH", target: "dev-\(d)",
                                         instance: "", item: "reachability", severity: .p2, level: .warning, measured: "", limit: "", reason: nil,
                                         detectedAt: start, firstAbnormalAt: start, clearedAt: state == .cleared ? start.addingTimeInterval(120) : nil,
                                         slaDueAt: nil, escalation: nil, remedy: nil))
            }
        }
        try history.record(events: events)
        let began = Date()
        var rows = 0, rounds = 0
        while true {
            let outcome = try forwarder.forward(now: Date())
            rows += outcome.total
            rounds += 1
            if !outcome.more { break }
        }
        let seconds = Date().timeIntervalSince(began)
        print(String(format: "pg_rows %d pg_seconds %.3f pg_rows_per_s %.0f pg_batches %d", rows, seconds, Double(rows) / seconds, rounds))
        try? FileManager.default.removeItem(atPath: state)
    }
}
