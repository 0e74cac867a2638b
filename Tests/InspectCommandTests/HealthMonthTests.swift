import Foundation
import History
import Testing
@testable import InspectorCore

/// A month of synthetic history (alert events and card counts written through the History API,
/// nothing in the spool), and the health report's figures checked by hand.
struct HealthMonthTests {
    static func at(_ day: Int, _ hour: Int) -> Date {
        var c = Calendar.current
        c.timeZone = .current
        return c.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour))!
    }

    static func event(_ id: String, _ state: AlertEvent.State, _ key: String, _ target: String, _ card: String, _ severity: Severity,
                      _ detected: Date, cleared: Date? = nil) -> AlertEvent {
        AlertEvent(id: id, dedupKey: key, state: state, card: card, target: target, instance: "", item: card, severity: severity,
                   level: .critical, measured: "", limit: "", reason: nil, detectedAt: detected, firstAbnormalAt: detected,
                   clearedAt: cleared, slaDueAt: nil, escalation: nil, remedy: nil)
    }

    @Test func figuresOfAMonthFromHistory() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let history = try History(path: "\(dir)/state/history.sqlite")
        // A P1 cleared in 1 h (within 2 h), a P2 cleared in 6 h (missed, 4 h), a room sensor
        // unreachable for 3 h (REACH, P2, within 4 h), and an October alert that must not count.
        try history.record(events: [
            Self.event("1", .raised, "a", "ups-a", "UPS-001", .p1, Self.at(3, 10)),
            Self.event("2", .cleared, "a", "ups-a", "UPS-001", .p1, Self.at(3, 10), cleared: Self.at(3, 11)),
            Self.event("3", .raised, "b", "sw-1", "SXKR-005", .p2, Self.at(10, 0)),
            Self.event("4", .cleared, "b", "sw-1", "SXKR-005", .p2, Self.at(10, 0), cleared: Self.at(10, 6)),
            Self.event("5", .raised, "c", "room-a", "REACH", .p2, Self.at(20, 1)),
            Self.event("6", .cleared, "c", "room-a", "REACH", .p2, Self.at(20, 1), cleared: Self.at(20, 4)),
        ] + [Self.event("0", .raised, "d", "ups-a", "UPS-002", .p1, Self.at(1, 0).addingTimeInterval(-86400))])
        // Every day of the month: room-a's JF-001 checked 1440 times, 60 of them without a verdict.
        for day in 1...30 {
            let unknown = Finding(card: "JF-001", target: "room-a", instance: "t1", title: LocalizedText("temp"), level: .unknown,
                                  severity: .p2, measured: [], limits: [], limitSource: .card, limitOrigin: "", sources: [],
                                  reason: LocalizedText(zh: "超时", en: "timeout"), evidence: [], remedy: nil, remarks: nil)
            var ok = unknown
            ok.level = .ok
            ok.reason = nil
            try history.record(findings: Array(repeating: ok, count: 1380) + Array(repeating: unknown, count: 60), run: "d\(day)", at: Self.at(day, 12))
        }
        let config = try CommandRunner.config(in: dir)
        let json = try await CommandRunner.run(["report", "--kind", "health", "--period", "2026-11", "--format", "json", "--config", config,
                                                "--spool", "\(dir)/spool", "--state", "\(dir)/state"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stderr)")
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["alerts"] as? Int == 3)
        #expect(summary["sla_achieved_percent"] as? Double == 66.7)          // 2 of 3 within their restore target
        let availability = try #require(object["availability"] as? [String: Double])
        #expect(abs(availability["room-a"]! - 99.583) < 0.01)                  // 3 h of 720 h unreachable
        #expect(availability["ups-a"] == 100 && availability["sw-1"] == 100)
        let coverage = try #require(object["coverage"] as? [String: Any])
        #expect(coverage["checks"] as? Int == 43200 && coverage["unknown"] as? Int == 1800 && coverage["percent"] as? Double == 95.83)
        let text = try await CommandRunner.run(["report", "--kind", "health", "--period", "2026-11", "--config", config,
                                                "--spool", "\(dir)/spool", "--state", "\(dir)/state"])
        // 30 x 1440 checks, 30 x 60 without a verdict: 95.83 % coverage, and why.
        #expect(text.stdout.contains("Items checked 43200") && text.stdout.contains("Coverage 95.83 %"), "\(text.stdout)")
        #expect(text.stdout.contains("room-a  43200          41400     1800     95.83 %   JF-001 (1800): timeout"), "\(text.stdout)")
    }
}
