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

    @Test func eachKindIsDueAfterItsPeriodEnds() {
        let kinds: [ReportKind] = [.weekly, .monthly, .quarterly, .halfyear, .yearly]
        func due(_ at: Date, _ written: Set<String> = []) -> [String] {
            ReportCalendar.due(at: at, kinds: kinds, time: (8, 30), written: written, calendar: utc).map(\.period)
        }
        // Thursday 1 October: September and Q3 are due from 08:30; week 39 since Monday 28 September
        // (week 40 is still running).
        #expect(due(date(10, 1, 8)) == ["2026-W39"])
        #expect(due(date(10, 1, 9)) == ["2026-W39", "2026-09", "2026-Q3"])
        #expect(due(date(10, 1, 9), ["2026-09", "2026-Q3", "2026-W39"]).isEmpty)
        // A daemon that was down on the 1st writes them within the week, not later.
        #expect(due(date(10, 5, 9)) == ["2026-W40", "2026-09", "2026-Q3"])
        #expect(due(date(10, 9, 9)) == ["2026-W40"])
        #expect(due(date(10, 12, 9), ["2026-W41"]).isEmpty)
        // 1 July: the first half-year; Friday 1 January 2027: the year 2026 and H2 (and week 52:
        // ISO week 53 of 2026 runs to 3 January).
        #expect(due(date(7, 1, 9)).contains("2026-H1"))
        let january = utc.date(from: DateComponents(year: 2027, month: 1, day: 1, hour: 9))!
        #expect(due(january) == ["2026-W52", "2026-12", "2026-Q4", "2026-H2", "2026"])
        let q = ReportCalendar.due(at: date(10, 1, 9), kinds: [.quarterly], written: [], calendar: utc)[0]
        #expect(q.from == date(7, 1) && q.to == date(10, 1))
    }

    @Test func periodLabelsOfEveryKind() {
        #expect(ReportPeriod.parse("2026-W49", calendar: utc)?.from == date(11, 30))   // ISO week 49 starts Monday 30 November
        #expect(ReportPeriod.parse("2026-W53", calendar: utc)?.to == utc.date(from: DateComponents(year: 2027, month: 1, day: 4)))
        #expect(ReportPeriod.parse("2025-W53", calendar: utc) == nil)                  // 2025 has 52 ISO weeks
        #expect(ReportPeriod.parse("2026-H2", calendar: utc)?.from == date(7, 1))
        #expect(ReportPeriod.parse("2026", calendar: utc)?.from == date(1, 1))
        #expect(ReportPeriod.parse("2026-13", calendar: utc) == nil && ReportPeriod.parse("2026-Q5", calendar: utc) == nil)
        #expect(ReportPeriod.label(.weekly, containing: date(12, 2), calendar: utc) == "2026-W49")
        #expect(ReportPeriod.previous("2026-W01", calendar: utc) == "2025-W52")
        #expect(ReportPeriod.previous("2026-Q1", calendar: utc) == "2025-Q4" && ReportPeriod.previous("2026-H1", calendar: utc) == "2025-H2")
        #expect(ReportPeriod.yearBefore("2026-12", calendar: utc) == "2025-12" && ReportPeriod.yearBefore("2026-W49", calendar: utc) == "2025-W49")
        #expect(ReportKind(period: "2026-W49") == .weekly && ReportKind(period: "2026") == .yearly && ReportKind(period: "2026-12-02") == .daily)
    }

    func event(_ state: AlertEvent.State, _ key: String, target: String, card: String, severity: Severity, detected: Date, cleared: Date? = nil, id: String,
               level: Level = .critical) -> AlertEvent {
        AlertEvent(id: id, dedupKey: key, state: state, card: card, target: target, instance: "", item: card, severity: severity,
                   level: level, measured: "", limit: "", reason: nil, detectedAt: detected, firstAbnormalAt: detected,
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
        var measured = s
        measured.measure(targets: ["ups-a", "sw-1", "room-a"], contract: { _ in .standard }, windows: [], reboots: [], until: date(12, 1), calendar: utc)
        let doc = String(decoding: ServiceReport(summary: measured).document(generatedAt: date(12, 1)).serialized(), as: UTF8.self)
        // 30 days = 720 h; 3 h unreachable: 99.583 % available.
        #expect(doc.contains("\"room-a\": 99.583"))
        #expect(doc.contains("\"sla_achieved_percent\": 66.7"))
    }

    /// A ping target: a slow round trip (warning) is no outage; from the moment the loss turns
    /// critical until it clears, the server counts as down. A closed port counts from its raise.
    @Test func reachabilityCountsAgainstAvailabilityOnlyWhileCritical() {
        var turnedCritical = event(.updated, "p", target: "db1", card: "NET-001", severity: .p1, detected: date(11, 5, 10), id: "2")
        turnedCritical.at = date(11, 5, 12)
        let events = [
            event(.raised, "p", target: "db1", card: "NET-001", severity: .p1, detected: date(11, 5, 10), id: "1", level: .warning),
            turnedCritical,
            event(.cleared, "p", target: "db1", card: "NET-001", severity: .p1, detected: date(11, 5, 10), cleared: date(11, 5, 13), id: "3"),
            event(.raised, "s", target: "db1-ssh", card: "NET-002", severity: .p1, detected: date(11, 6, 0), id: "4"),
            event(.cleared, "s", target: "db1-ssh", card: "NET-002", severity: .p1, detected: date(11, 6, 0), cleared: date(11, 6, 2), id: "5"),
            event(.raised, "w", target: "db2", card: "NET-001", severity: .p1, detected: date(11, 7, 0), id: "6", level: .warning),
            event(.cleared, "w", target: "db2", card: "NET-001", severity: .p1, detected: date(11, 7, 0), cleared: date(11, 7, 5), id: "7"),
        ]
        let s = HealthSummary.build(period: "2026-11", from: date(11, 1), to: date(12, 1), events: events)
        let down = Dictionary(s.outages.map { ($0.target, $0.to.timeIntervalSince($0.from)) }, uniquingKeysWith: +)
        #expect(down == ["db1": 3600, "db1-ssh": 2 * 3600])
    }
}
