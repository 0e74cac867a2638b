import Foundation
import Testing
@testable import InspectorCore

/// A small December checked by hand: an office contract (Mon-Fri 09:00-18:00, Christmas Day a
/// holiday) and the standard 24x7 one, three incidents, a maintenance window.
///
/// December 2026 has 23 weekdays; without 25 December, 22 business days of 9 h = 198 h.
/// - www (office), WEB-001 P1 (respond 30 min, restore 4 h): abnormal from Thu 24th 17:30,
///   raised at the second check, 17:31. Respond due: 29 min on Thursday, the holiday and the
///   weekend skipped, 1 min on Monday: Mon 28th 09:01; acknowledged 17:50, in time. Restore
///   due: 29 min Thursday + 3 h 31 min Monday = 12:31; cleared Mon 10:00, in time. Down in
///   service hours from the first abnormal check: 0.5 h + 1 h = 1.5 h of 198 h -> 99.24242 %.
/// - sw (standard), REACH P2 (respond 30 min, restore 4 h): first abnormal 10th 01:58, raised
///   02:00, cleared 03:00 unacknowledged: respond missed (due 02:30), restore in time. Down
///   62 min, 30 of them in a maintenance window (02:30-03:00): 32 min of 744 h -> 99.92832 %.
/// - srv (standard), SXKR-001 P3 raised 15th 10:00, still open on 1 January: both missed.
/// Respond: 1 of 3 = 33.3 %; restore: 2 of 3 = 66.7 %; MTTR from detection (88 h 29 min + 1 h)
/// / 2 = 44.74 h; MTTA 19 min. Overall: 1 - (1.5 h + 32 min) / (198 + 744 + 744) h = 99.87940 %.
struct ServiceMonthTests {
    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return c
    }()

    func at(_ day: Int, _ hour: Int, _ minute: Int = 0, month: Int = 12, year: Int = 2026) -> Date {
        Self.calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    static let office = SLAContract(name: "office", hours: ServiceHours(always: false, days: [2, 3, 4, 5, 6], open: 540, close: 1080, holidays: ["2026-12-25"]),
                                    terms: [.p1: .init(respond: .within(1800), restore: .within(4 * 3600))], availability: 99.5)

    func events() -> [AlertEvent] {
        let engine = { (contract: SLAContract) in AlertEngine(contract: { _ in contract }, calendar: Self.calendar) }
        func finding(_ card: String, _ target: String, _ severity: Severity, _ level: Level) -> Finding {
            Finding(card: card, target: target, instance: "", title: LocalizedText(card), level: level, severity: severity, measured: [], limits: [],
                    limitSource: .card, limitOrigin: "", sources: [], reason: nil, evidence: [], remedy: nil, remarks: nil)
        }
        var out: [AlertEvent] = []
        var n = 0
        func run(_ e: AlertEngine, _ f: Finding, _ times: [(Date, Level)]) {
            var records: [String: AlertRecord] = [:]
            for (t, level) in times {
                var g = f
                g.level = level
                out += e.process([g], at: t, records: &records, inMaintenance: { _ in false }, confirmAfter: { _ in 2 },
                                 newID: { n += 1; return String(format: "%04d", n) })
            }
        }
        run(engine(Self.office), finding("WEB-001", "www", .p1, .ok), [(at(24, 17, 30), .critical), (at(24, 17, 31), .critical), (at(28, 10), .ok)])
        var ack = out.last { $0.state == .raised }!
        ack.id = "0100"
        ack.state = .acknowledged
        ack.by = "张三"
        ack.at = at(24, 17, 50)
        out.append(ack)
        run(engine(.standard), finding("REACH", "sw", .p2, .ok), [(at(10, 1, 58), .critical), (at(10, 2), .critical), (at(10, 3), .ok)])
        run(engine(.standard), finding("SXKR-001", "srv", .p3, .ok), [(at(15, 9, 59), .warning), (at(15, 10), .warning)])
        return out
    }

    @Test func figuresOfABusinessHoursMonth() throws {
        var s = HealthSummary.build(period: "2026-12", from: at(1, 0), to: at(1, 0, month: 1, year: 2027), events: events())
        let window = MaintenanceWindow(targets: ["sw"], when: .range(from: at(10, 2, 30), to: at(10, 3)), note: "割接")
        s.measure(targets: ["www", "sw", "srv"], contract: { $0 == "www" ? Self.office : .standard }, windows: [window], reboots: [],
                  until: at(2, 0, month: 1, year: 2027), calendar: Self.calendar)
        let www = try #require(s.alerts.first { $0.target == "www" })
        #expect(www.respondDueAt == at(28, 9, 1) && www.restoreDueAt == at(28, 12, 31))
        #expect(www.respondedInTime == true && www.withinSLA == true && www.acknowledgedBy == "张三")
        #expect(www.timeline.map(\.state) == [.raised, .acknowledged, .cleared])
        let sw = try #require(s.alerts.first { $0.target == "sw" })
        #expect(sw.respondedInTime == false && sw.withinSLA == true)
        let srv = try #require(s.alerts.first { $0.target == "srv" })
        #expect(srv.respondedInTime == false && srv.withinSLA == false && srv.clearedAt == nil)
        #expect(abs(s.respondAchievedPercent! - 100.0 / 3) < 1e-6 && abs(s.slaAchievedPercent! - 200.0 / 3) < 1e-6)
        // www: abnormal from 17:30; sw: from 01:58 (the first abnormal check, not the confirmation).
        #expect(abs(s.downSeconds["www"]! - 1.5 * 3600) < 1e-6)
        #expect(abs(s.downSeconds["sw"]! - 32 * 60) < 1e-6)
        #expect(abs(s.availability["www"]! - 99.242424) < 1e-5)
        #expect(abs(s.availability["sw"]! - 99.928315) < 1e-5)
        #expect(s.availability["srv"] == 100)
        #expect(abs(s.overallAvailability! - (1 - (1.5 + 32.0 / 60) / 1686) * 100) < 1e-9)
        #expect(abs(s.mttrHours! - (88 + 29.0 / 60 + 1) / 2) < 1e-9 && s.mttaMinutes == 19)
        #expect(s.maintenance.map(\.note) == ["割接"])
        #expect(s.worst.map(\.target) == ["www", "sw", "srv"])
        let report = ServiceReport(summary: s)
        #expect(report.availabilityMet == false)   // www (99.24 %) is below its 99.5 % objective
    }

    @Test func rebootsAndWeeklyWindowsCount() {
        var s = HealthSummary.build(period: "2026-12", from: at(1, 0), to: at(1, 0, month: 1, year: 2027), events: [])
        // Every Sunday 02:00-04:00 (four Sundays in December 2026: 6, 13, 20, 27); a reboot on
        // the 13th from 03:00 to 03:30 falls inside it, one on the 14th (10 min) does not.
        let weekly = MaintenanceWindow(targets: [], when: .weekly(days: [1], fromMinute: 120, toMinute: 240), note: nil)
        let reboots = [HealthSummary.Span(target: "srv", from: at(13, 3), to: at(13, 3, 30), kind: "reboot"),
                       HealthSummary.Span(target: "srv", from: at(14, 9), to: at(14, 9, 10), kind: "reboot")]
        s.measure(targets: ["srv"], contract: { _ in .standard }, windows: [weekly], reboots: reboots, until: at(1, 0, month: 1, year: 2027),
                  calendar: Self.calendar)
        #expect(s.maintenance.count == 4)
        #expect(s.downSeconds["srv"] == 600)
    }
}
