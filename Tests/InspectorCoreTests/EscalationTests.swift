import Foundation
import Testing
@testable import InspectorCore

/// The escalation chain against an alert's deadlines, on a clock the test controls.
struct EscalationTests {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)
    let chain = [EscalationLevel(name: "engineer", when: .raised, channels: ["ops"]),
                 EscalationLevel(name: "lead", when: .respondOverdue),
                 EscalationLevel(name: "manager", when: .restoreOverdue)]

    func finding(_ level: Level) -> Finding {
        Finding(card: "UPS-002", target: "ups-a", instance: "", title: LocalizedText("battery"), level: level, severity: .p1,
                measured: [], limits: [], limitSource: .card, limitOrigin: "card", sources: [],
                reason: level == .ok ? nil : LocalizedText("low"), evidence: [], remedy: nil, remarks: nil)
    }

    /// Raises a P1 (standard contract: respond 15 min, restore 2 h) at t0 and returns the records.
    func raised(_ engine: AlertEngine, _ n: inout Int) -> ([String: AlertRecord], AlertEvent) {
        var records: [String: AlertRecord] = [:]
        let events = engine.process([finding(.critical)], at: t0, records: &records, inMaintenance: { _ in false },
                                    confirmAfter: { _ in 1 }, newID: { n += 1; return "e\(n)" })
        return (records, events[0])
    }

    @Test func eachLevelIsToldOnceWhenItsDeadlinePasses() {
        var n = 0
        let engine = AlertEngine(escalation: chain)
        var (records, raised) = raised(engine, &n)
        #expect(raised.escalation == "engineer")
        #expect(raised.respondDueAt == t0.addingTimeInterval(900) && raised.slaDueAt == t0.addingTimeInterval(7200) && raised.sla == "standard")
        func tick(_ minutes: Double) -> [String] {
            engine.escalate(records: &records, at: t0.addingTimeInterval(minutes * 60), acknowledgements: [:],
                            newID: { n += 1; return "e\(n)" }).escalated.map { $0.escalation ?? "" }
        }
        #expect(tick(14).isEmpty)
        #expect(tick(15) == ["lead"])
        #expect(tick(16).isEmpty)
        #expect(tick(119).isEmpty)
        #expect(tick(120) == ["manager"])
        #expect(tick(300).isEmpty)
        // The clear reaches every level told.
        let cleared = engine.process([finding(.ok)], at: t0.addingTimeInterval(301 * 60), records: &records, inMaintenance: { _ in false },
                                     confirmAfter: { _ in 1 }, newID: { n += 1; return "e\(n)" })
        #expect(cleared.map(\.state) == [.cleared] && cleared[0].escalation == "engineer, lead, manager")
        #expect(records.values.first?.told == [])
    }

    @Test func anAcknowledgedAlertIsNotEscalatedForItsResponse() {
        var n = 0
        let engine = AlertEngine(escalation: chain)
        var (records, raised) = raised(engine, &n)
        var ack = raised
        ack.state = .acknowledged
        ack.by = "张三"
        ack.at = t0.addingTimeInterval(600)
        let first = engine.escalate(records: &records, at: t0.addingTimeInterval(600), acknowledgements: [raised.dedupKey: ack], newID: { "x" })
        #expect(first.acknowledged.map(\.by) == ["张三"] && first.acknowledged[0].escalation == "engineer")
        #expect(records.values.first?.acknowledgedAt == t0.addingTimeInterval(600))
        let later = engine.escalate(records: &records, at: t0.addingTimeInterval(3600), acknowledgements: [raised.dedupKey: ack], newID: { "y" })
        #expect(later.escalated.isEmpty && later.acknowledged.isEmpty)
        // The restore deadline still holds for an acknowledged alert.
        let overdue = engine.escalate(records: &records, at: t0.addingTimeInterval(7200), acknowledgements: [raised.dedupKey: ack], newID: { "z" })
        #expect(overdue.escalated.map(\.escalation) == ["manager"] && overdue.escalated[0].state == .escalated)
    }

    /// Business hours stop the clock: a P1 raised on Friday at 17:50 under Mon-Fri 09:00-18:00
    /// (respond 30 min) is escalated on Monday at 09:20, not on Friday evening.
    @Test func deadlinesFollowTheContractsHours() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let office = SLAContract(name: "office", hours: ServiceHours(always: false, days: [2, 3, 4, 5, 6], open: 540, close: 1080),
                                 terms: [.p1: .init(respond: .within(1800), restore: .nextBusinessDay(hour: 15, minute: 0))])
        let friday = calendar.date(from: DateComponents(year: 2026, month: 12, day: 4, hour: 17, minute: 50))!
        let monday = calendar.date(from: DateComponents(year: 2026, month: 12, day: 7, hour: 9, minute: 20))!
        let engine = AlertEngine(escalation: chain, contract: { _ in office }, calendar: calendar)
        var records: [String: AlertRecord] = [:]
        let raised = engine.process([finding(.critical)], at: friday, records: &records, inMaintenance: { _ in false },
                                    confirmAfter: { _ in 1 }, newID: { "r" })[0]
        #expect(raised.respondDueAt == monday && raised.sla == "office")
        #expect(raised.slaDueAt == calendar.date(from: DateComponents(year: 2026, month: 12, day: 7, hour: 15)))
        #expect(engine.escalate(records: &records, at: friday.addingTimeInterval(3600), acknowledgements: [:], newID: { "a" }).escalated.isEmpty)
        #expect(engine.escalate(records: &records, at: monday, acknowledgements: [:], newID: { "b" }).escalated.map(\.escalation) == ["lead"])
    }
}
