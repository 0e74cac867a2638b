import Foundation
import Testing
@testable import InspectorCore

struct HealthSummaryTests {
    let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    func date(_ m: Int, _ d: Int, _ h: Int = 0) -> Date { utc.date(from: DateComponents(year: 2026, month: m, day: d, hour: h))! }

    @Test func monthlyOnTheFirstQuarterlyAtQuarterStarts() {
        #expect(ReportCalendar.due(at: date(11, 1, 9), written: [], calendar: utc).map(\.period) == ["2026-10"])
        #expect(ReportCalendar.due(at: date(10, 1, 9), written: [], calendar: utc).map(\.period) == ["2026-09", "2026-Q3"])
        #expect(ReportCalendar.due(at: date(10, 1, 9), written: ["2026-09", "2026-Q3"], calendar: utc).isEmpty)
        #expect(ReportCalendar.due(at: date(11, 2, 9), written: [], calendar: utc).isEmpty)
        let q = ReportCalendar.due(at: date(10, 1, 9), written: [], calendar: utc)[1]
        #expect(q.from == date(7, 1) && q.to == date(10, 1))
    }

    func event(_ state: AlertEvent.State, _ key: String, target: String, card: String, severity: Severity, detected: Date, cleared: Date? = nil, id: String) -> AlertEvent {
        AlertEvent(id: id, dedupKey: key, state: state, card: card, target: target, instance: "", item: card, severity: severity,
                   level: .critical, measured: "", limit: "", reason: nil, detectedAt: detected, firstAbnormalAt: detected,
                   clearedAt: cleared, slaDueAt: nil, escalation: nil, remedy: nil)
    }

    /// A month by hand: a P1 cleared in 1 h (in SLA), a P2 cleared in 6 h (missed, 4 h target),
    /// a 3-hour outage of one device, and an alert from another month that must not count.
    @Test func figuresOfAMonth() {
        let events = [
            event(.raised, "a", target: "ups-a", card: "UPS-001", severity: .p1, detected: date(11, 3, 10), id: "1"),
            event(.cleared, "a", target: "ups-a", card: "UPS-001", severity: .p1, detected: date(11, 3, 10), cleared: date(11, 3, 11), id: "2"),
            event(.raised, "b", target: "sw-1", card: "SXKR-005", severity: .p2, detected: date(11, 10, 0), id: "3"),
            event(.cleared, "b", target: "sw-1", card: "SXKR-005", severity: .p2, detected: date(11, 10, 0), cleared: date(11, 10, 6), id: "4"),
            event(.raised, "c", target: "room-a", card: "REACH", severity: .p2, detected: date(11, 20, 1), id: "5"),
            event(.cleared, "c", target: "room-a", card: "REACH", severity: .p2, detected: date(11, 20, 1), cleared: date(11, 20, 4), id: "6"),
            event(.raised, "d", target: "ups-a", card: "UPS-002", severity: .p1, detected: date(10, 30, 1), id: "7"),
        ]
        let s = HealthSummary.build(period: "2026-11", from: date(11, 1), to: date(12, 1), events: events)
        #expect(s.alerts.count == 3)
        #expect(s.alerts.map(\.withinSLA) == [true, false, true])   // 3 h for a P2 REACH is within 4 h
        #expect(abs(s.slaAchievedPercent! - 66.67) < 0.01)
        #expect(abs((s.unreachableSeconds["room-a"] ?? 0) - 3 * 3600) < 0.001)
        let doc = String(decoding: s.document(generatedAt: date(12, 1)).serialized(), as: UTF8.self)
        // 30 days = 720 h; 3 h unreachable: 99.583 % available.
        #expect(doc.contains("\"room-a\": 99.583"))
        #expect(doc.contains("\"sla_achieved_percent\": 66.7"))
    }
}
