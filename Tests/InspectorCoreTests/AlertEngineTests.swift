import Foundation
import Testing
@testable import InspectorCore

/// The alert state machine, driven check by check with a clock the test controls.
struct AlertEngineTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    func finding(_ level: Level, card: String = "UPS-002", severity: Severity = .p1) -> Finding {
        Finding(card: card, target: "ups-a", instance: "", title: LocalizedText("battery"), level: level, severity: severity,
                measured: [Measurement(metric: "ups.battery_charge", unit: "%", current: level == .ok ? 100 : 15)],
                limits: [AppliedLimit(metric: "ups.battery_charge", stat: "current", warning: "50:", critical: "20:", source: .card)],
                limitSource: .card, limitOrigin: "card", sources: ["OID 1.3.6.1.2.1.33.1.2.4.0"],
                reason: level == .ok ? nil : LocalizedText("charge low"), evidence: [], remedy: nil, remarks: nil)
    }

    /// Runs a sequence of levels one minute apart; returns the event states, in order.
    func run(_ levels: [Level], confirmAfter: Int = 2, maintenance: (Int) -> Bool = { _ in false },
             records: inout [String: AlertRecord]) -> [AlertEvent] {
        var events: [AlertEvent] = []
        var n = 0
        for (i, level) in levels.enumerated() {
            events += AlertEngine(escalation: [EscalationLevel(name: "supervisor", when: .raised)]).process(
                [finding(level)], at: start.addingTimeInterval(Double(i) * 60), records: &records,
                inMaintenance: { _ in maintenance(i) }, confirmAfter: { _ in confirmAfter },
                newID: { n += 1; return "e\(n)" })
        }
        return events
    }

    func states(_ levels: [Level], confirmAfter: Int = 2, maintenance: (Int) -> Bool = { _ in false }) -> [AlertEvent.State] {
        var records: [String: AlertRecord] = [:]
        return run(levels, confirmAfter: confirmAfter, maintenance: maintenance, records: &records).map(\.state)
    }

    @Test func oneSoftAbnormalCheckRaisesNothing() {
        #expect(states([.ok, .critical, .ok, .ok]).isEmpty)
    }

    @Test func anOutageIsRaisedOnceAndClearedOnce() {
        #expect(states([.ok, .critical, .critical, .critical, .critical, .ok, .ok]) == [.raised, .cleared])
    }

    /// A device that stops answering gets a REACH alert; when it answers again it has no REACH
    /// finding at all (only its cards'), and the alert clears all the same.
    @Test func anUnreachableDeviceThatAnswersAgainClears() {
        var records: [String: AlertRecord] = [:]
        var unreachable = finding(.unknown, card: "REACH", severity: .p2)
        unreachable.measured = []
        var n = 0
        func round(_ findings: [Finding], _ i: Int) -> [AlertEvent.State] {
            AlertEngine().process(findings, at: start.addingTimeInterval(Double(i) * 60), records: &records, inMaintenance: { _ in false },
                                  confirmAfter: { _ in 2 }, newID: { n += 1; return "e\(n)" }).map(\.state)
        }
        #expect(round([unreachable], 0).isEmpty)
        #expect(round([unreachable], 1) == [.raised])
        #expect(round([finding(.ok)], 2) == [.cleared])
        #expect(round([finding(.ok)], 3).isEmpty)
        #expect(records["ups-a|REACH|"]?.open == false)
    }

    /// A check the agent could not make (AGENT) raises nothing, and leaves an open "unreachable"
    /// alert as it was: the device was not asked, so it has not answered again either.
    @Test func aFaultOfTheAgentIsNoAlertAndClearsNone() {
        var records: [String: AlertRecord] = [:]
        var unreachable = finding(.unknown, card: "REACH", severity: .p2)
        unreachable.measured = []
        var agent = finding(.unknown, card: Evaluator.agentCheck.id, severity: .p3)
        agent.measured = []
        var n = 0
        func round(_ findings: [Finding], _ i: Int) -> [AlertEvent.State] {
            AlertEngine().process(findings, at: start.addingTimeInterval(Double(i) * 60), records: &records, inMaintenance: { _ in false },
                                  confirmAfter: { _ in 1 }, newID: { n += 1; return "e\(n)" }).map(\.state)
        }
        #expect(round([agent], 0).isEmpty && round([agent], 1).isEmpty)
        #expect(records["ups-a|AGENT|"] == nil)
        #expect(round([unreachable], 2) == [.raised])
        #expect(round([agent], 3).isEmpty && round([agent], 4).isEmpty)
        #expect(records["ups-a|REACH|"]?.open == true)
        #expect(round([finding(.ok)], 5) == [.cleared])
    }

    @Test func confirmAfterOneRaisesAtOnce() {
        #expect(states([.critical, .ok], confirmAfter: 1) == [.raised, .cleared])
    }

    @Test func levelChangesUpdateTheOpenAlert() {
        #expect(states([.warning, .warning, .critical, .critical, .warning, .ok]) == [.raised, .updated, .updated, .cleared])
    }

    @Test func eventsCarryTimesSLAAndEscalation() {
        var records: [String: AlertRecord] = [:]
        let events = run([.ok, .critical, .critical, .ok], records: &records)
        let raised = events[0], cleared = events[1]
        #expect(raised.firstAbnormalAt == start.addingTimeInterval(60))
        #expect(raised.detectedAt == start.addingTimeInterval(120))
        #expect(raised.slaDueAt == start.addingTimeInterval(120 + 2 * 3600))   // P1: 2 h
        #expect(raised.escalation == "supervisor")
        #expect(cleared.clearedAt == start.addingTimeInterval(180))
        #expect(raised.dedupKey == cleared.dedupKey)
        #expect(raised.id != cleared.id)
        #expect(raised.measured == "15 %" && raised.limit == "warning 50:, critical 20:")
    }

    @Test func aNewOutageWithinTheSameSecondIsANewAlert() {
        var records: [String: AlertRecord] = [:]
        var events: [AlertEvent] = []
        var n = 0
        for (i, level) in [Level.critical, .ok, .critical].enumerated() {
            events += AlertEngine().process([finding(level)], at: start.addingTimeInterval(Double(i) * 0.1), records: &records,
                                            inMaintenance: { _ in false }, confirmAfter: { _ in 1 }, newID: { n += 1; return "e\(n)" })
        }
        #expect(events.map(\.state) == [.raised, .cleared, .raised])
        #expect(events[0].dedupKey == events[1].dedupKey && events[2].dedupKey != events[0].dedupKey)
    }

    @Test func flappingGivesOneEventAndNoStorm() throws {
        let flips = (0..<30).map { $0 % 2 == 0 ? Level.critical : .ok }
        let s = states(flips, confirmAfter: 1)
        #expect(s.filter { $0 == .flapping }.count == 1, "\(s)")
        // Naemon needs a weighted 50 % of 20 transitions: about 11 changes, then one event and silence
        // although the check keeps alternating for 30 rounds.
        let k = try #require(s.firstIndex(of: .flapping))
        #expect(k <= 12, "\(s)")
        #expect(s.count == k + 1, "events after flapping started: \(s)")
    }

    /// A check that flaps without ever being confirmed sends one flapping notice; once it is
    /// steady again the notice gets its closing event, under the same dedup key.
    @Test func aFlappingOnlyAlertIsClosed() throws {
        var records: [String: AlertRecord] = [:]
        let flips = (0..<24).map { $0 % 2 == 0 ? Level.critical : .ok }
        let events = run(flips + Array(repeating: .ok, count: 30), confirmAfter: 3, records: &records)
        #expect(events.map(\.state) == [.flapping, .cleared], "\(events.map(\.state))")
        #expect(events.first?.dedupKey == events.last?.dedupKey)
        #expect(events.last?.clearedAt != nil)
        #expect(records.values.allSatisfy { !$0.open && $0.dedupKey == nil })
    }

    /// A reload that removes a target closes its open alert with the reason, and forgets it.
    @Test func alertsOfARemovedTargetAreClosedWithTheReason() throws {
        var records: [String: AlertRecord] = [:]
        let raised = run([.critical, .critical], records: &records)
        #expect(raised.map(\.state) == [.raised])
        let card = Card(id: "UPS-002", title: LocalizedText(zh: "电池", en: "Battery"), checks: [], severity: .p1)
        let kept = AlertEngine().retire(records: &records, keeping: ["ups-a"], at: start, card: { _ in card }, newID: { "x" })
        #expect(kept.isEmpty && records.count == 1)
        let closed = AlertEngine().retire(records: &records, keeping: ["other"], at: start.addingTimeInterval(600), card: { _ in card }, newID: { "r1" })
        #expect(closed.map(\.state) == [.cleared])
        #expect(closed.first?.dedupKey == raised.first?.dedupKey)
        #expect(closed.first?.reason == "target removed from the config" && closed.first?.zh?.reason == "该目标已从配置中删除")
        #expect(closed.first?.item == "Battery" && closed.first?.severity == .p1)
        #expect(records.isEmpty)
    }

    @Test func maintenanceHoldsTheRaiseUntilTheWindowEnds() {
        // Abnormal from check 1; window covers checks 0-4; still abnormal at 5: raised then.
        let s = states([.ok, .critical, .critical, .critical, .critical, .critical, .ok], maintenance: { $0 <= 4 })
        #expect(s == [.raised, .cleared])
        var records: [String: AlertRecord] = [:]
        let events = run([.ok, .critical, .critical, .critical, .critical, .critical], maintenance: { $0 <= 4 }, records: &records)
        #expect(events.first?.firstAbnormalAt == start.addingTimeInterval(60))   // the findings were recorded
    }

    @Test func anAlertThatEndsInsideTheWindowIsNeverRaised() {
        #expect(states([.critical, .critical, .critical, .ok, .ok], maintenance: { _ in true }).isEmpty)
    }

    @Test func unknownNeitherRaisesNorClears() {
        #expect(states([.critical, .critical, .unknown, .unknown, .critical, .ok]) == [.raised, .cleared])
    }

    @Test func hysteresisClearsOnlyPastTheMargin() throws {
        var check = Check(metric: "t", thresholds: Thresholds(warning: try .parse("~:27")))
        check.clearMargin = 1
        let card = Card(id: "JF-001", title: LocalizedText("t"), checks: [check])
        let target = Target(id: "room", kind: .sensor, address: "snmp://x")
        func level(_ v: Double, open: Bool) -> Level {
            let r = TargetReadings(target: target, readings: [Reading(metric: "t", instance: "s1", value: .number(v), source: "x")])
            return Evaluator(openAlerts: open ? ["room|JF-001|s1"] : []).evaluate(card: card, on: r)[0].level
        }
        #expect(level(26.5, open: false) == .ok)
        #expect(level(26.5, open: true) == .warning)   // back under 27 but not under 26: still open
        #expect(level(25.9, open: true) == .ok)
    }
}
