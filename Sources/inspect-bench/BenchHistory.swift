import ArgumentParser
import Foundation
import History
import InspectorApp
import InspectorCore
import Reports

/// History size per device per month, and a health report's time over many devices,
/// for Scripts/bench.sh. One device is simulated for `days` days at `interval` through the real
/// write and retention path, then cloned in SQL to `devices` devices.
struct BenchHistory: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "History size and health report time.")

    @Option(help: "Devices in the report.") var devices = 500
    @Option(help: "Days of history.") var days = 30
    @Option(help: "Seconds between polls.") var interval: Double = 60
    @Option(help: "Directory for the database.") var state: String
    @Option(help: "First day, UTC (2026-01-01 for a year ending with 2026).") var start = "2026-11-01"
    @Option(help: "Incidents per device over the whole span, raised and cleared through the alert engine.") var incidents = 0

    func run() throws {
        let path = "\(state)/history.sqlite"
        try? FileManager.default.removeItem(atPath: path)
        let history = try History(path: path)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        guard let start = ReportPeriod.parse(self.start, calendar: utc)?.from else { throw ValidationError("--start \(self.start) is not a day") }
        let target = Target(id: "d0", kind: .host, address: "local")
        let polls = Int(Double(days) * 86400 / interval)
        var lastPrune = start
        // The server checklist's nine cards, one of them never verifiable (no sensors), as a VM reports.
        let findings = (1...9).map { n in
            Finding(card: "SXKR-00\(n)", target: "d0", instance: "", title: LocalizedText("card \(n)"), level: n == 5 ? .unknown : .ok,
                    severity: .p3, measured: [], limits: [], limitSource: .card, limitOrigin: "", sources: [],
                    reason: n == 5 ? LocalizedText("not readable: no temperature sensors") : nil, evidence: [], remedy: nil, remarks: nil)
        }
        for i in 0..<polls {
            let t = start.addingTimeInterval(Double(i) * interval)
            let phase = Double(i % 1440) / 1440 * 2 * .pi
            let readings = [("cpu.utilisation", "", 30 + 20 * sin(phase)), ("memory.used_percent", "RAM", 55 + 5 * cos(phase)),
                            ("temperature.celsius", "hwmon0/temp1", 45 + 8 * sin(phase)), ("temperature.celsius", "hwmon0/temp2", 43 + 7 * sin(phase)),
                            ("fs.used_percent", "/", 60 + Double(i) / Double(polls) * 10)]
                .map { Reading(metric: $0.0, instance: $0.1, value: .number($0.2), unit: "", source: "bench") }
            try history.record([TargetReadings(target: target, readings: readings, inventory: i == 0 ? ["model": "bench", "serial": "0"] : [:])], at: t)
            try history.record(findings: findings, run: "r\(i)", at: t)
            if t.timeIntervalSince(lastPrune) >= 3600 {
                try history.prune(now: t)
                lastPrune = t
            }
        }
        let end = start.addingTimeInterval(Double(days) * 86400)
        let perDevice = try history.diskBytes()
        let rowsPerDevice = try history.counts()
        try history.clone(target: "d0", copies: devices - 1, prefix: "d")
        let events = try recordIncidents(history, from: start, days: days)
        let total = try history.diskBytes()
        let began = Date()
        let summary = HealthSummary.build(period: "bench", from: start, to: end, events: [])
        let extras = HealthInputs.extras(history: history, cards: [], from: start, to: end, lang: .en)
        let html = HealthReport.render(ServiceReport(summary: summary), format: .html, lang: .en, generatedAt: end, extras: extras)
        let seconds = Date().timeIntervalSince(began)
        print(String(format: "device_month_mb %.2f rows_per_device %d total_mb %.1f devices %d health_report_s %.2f html_kb %d charts %d events %d",
                     Double(perDevice) / 1_048_576 * 30 / Double(days), rowsPerDevice.values.reduce(0, +),
                     Double(total) / 1_048_576, devices, seconds, html.count / 1024, extras.trends.count, events))
    }

    /// `incidents` per device, spread over the span: each is raised and cleared by the real alert
    /// engine (REACH, WEB-001 or a server card, P1-P3, 10 min to 6 h long; one in three
    /// acknowledged) and written to history as the daemon writes it. Returns the events written.
    func recordIncidents(_ history: History, from start: Date, days: Int) throws -> Int {
        guard incidents > 0 else { return 0 }
        let cards: [(String, Severity)] = [("REACH", .p2), ("WEB-001", .p1), ("SXKR-001", .p3), ("SXKR-007", .p3)]
        let engine = AlertEngine(escalation: [EscalationLevel(name: "engineer", when: .raised), EscalationLevel(name: "lead", when: .respondOverdue)])
        var total = 0, n = 0
        let span = Double(days) * 86400
        for d in 0..<devices {
            var records: [String: AlertRecord] = [:]
            var events: [AlertEvent] = []
            for i in 0..<incidents {
                let (card, severity) = cards[(d + i) % cards.count]
                let begin = start.addingTimeInterval(span * (Double(i) + Double(d % 97) / 97) / Double(incidents))
                let length = 600 + Double((d * 7919 + i * 104_729) % 21_000)
                let finding = { (level: Level) in
                    Finding(card: card, target: "d\(d)", instance: "", title: LocalizedText(card), level: level, severity: severity, measured: [],
                            limits: [], limitSource: .card, limitOrigin: "", sources: [], reason: nil, evidence: [], remedy: nil, remarks: nil)
                }
                for (offset, level) in [(0.0, Level.critical), (60, .critical), (length, .ok)] {
                    events += engine.process([finding(level)], at: begin.addingTimeInterval(offset), records: &records, inMaintenance: { _ in false },
                                             confirmAfter: { _ in 2 }, newID: { n += 1; return String(format: "%012d", n) })
                    if offset == 60 {
                        events += engine.escalate(records: &records, at: begin.addingTimeInterval(3600), acknowledgements: [:],
                                                  newID: { n += 1; return String(format: "%012d", n) }).escalated
                    }
                }
                if i % 3 == 0, var ack = events.last(where: { $0.state == .raised }) {
                    n += 1
                    ack.id = String(format: "%012d", n)
                    ack.state = .acknowledged
                    ack.by = "engineer"
                    ack.at = begin.addingTimeInterval(300)
                    events.append(ack)
                }
            }
            try history.record(events: events)
            total += events.count
        }
        return total
    }
}
