import Foundation
import Testing
@testable import InspectorCore

/// Due times under service hours, checked by hand against a calendar (Asia/Shanghai, so the
/// result does not depend on the machine's zone): December 2026 starts on a Tuesday.
struct ServiceLevelTests {
    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return c
    }()

    func at(_ text: String) -> Date {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = Self.calendar.timeZone
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.date(from: text)!
    }

    /// Mon-Fri 09:00-18:00, New Year's Day a holiday, Saturday 2027-01-09 a make-up working day (调休).
    var office: ServiceHours {
        ServiceHours(always: false, days: [2, 3, 4, 5, 6], open: 9 * 60, close: 18 * 60, holidays: ["2027-01-01"], workdays: ["2027-01-09"])
    }

    @Test func aP3RaisedFridayEveningIsDueOnMonday() {
        // Friday 2026-12-04 17:00 + 2 h of service: 1 h on Friday, 1 h from Monday 09:00.
        #expect(office.advance(at("2026-12-04 17:00"), by: 2 * 3600, calendar: Self.calendar) == at("2026-12-07 10:00"))
        // Raised on Saturday: the clock starts on Monday at opening.
        #expect(office.advance(at("2026-12-05 11:00"), by: 30 * 60, calendar: Self.calendar) == at("2026-12-07 09:30"))
        // Raised before opening on a weekday.
        #expect(office.advance(at("2026-12-08 07:10"), by: 3600, calendar: Self.calendar) == at("2026-12-08 10:00"))
        // Exactly the remaining hour of the day ends at closing, not the next morning.
        #expect(office.advance(at("2026-12-08 17:00"), by: 3600, calendar: Self.calendar) == at("2026-12-08 18:00"))
        // 3 days of service time = 27 business hours from Tuesday 10:00: Wed 9 h, Thu 9 h, Fri 9 h... ends Friday 10:00 + ... by hand:
        // Tue 10-18 (8 h), Wed (9), Thu (9) = 26 h, 1 h more on Friday: 10:00.
        #expect(office.advance(at("2026-12-08 10:00"), by: 27 * 3600, calendar: Self.calendar) == at("2026-12-11 10:00"))
    }

    @Test func holidaysAndMakeUpDaysMoveTheClock() {
        // Thursday 2026-12-31 17:30 + 1 h: 30 min on Thursday; Friday 1 January is a holiday,
        // the weekend is not served, Monday 4 January 09:30.
        #expect(office.advance(at("2026-12-31 17:30"), by: 3600, calendar: Self.calendar) == at("2027-01-04 09:30"))
        // Friday 2027-01-08 17:00 + 2 h: the make-up Saturday 9 January is served.
        #expect(office.advance(at("2027-01-08 17:00"), by: 2 * 3600, calendar: Self.calendar) == at("2027-01-09 10:00"))
    }

    @Test func nextBusinessDayDeadlines() {
        let d = Deadline.parse("next business day 15:00")
        #expect(d == .nextBusinessDay(hour: 15, minute: 0))
        // Raised Friday: next business day is Monday; raised Thursday 31 December: Monday 4 January.
        #expect(d?.due(from: at("2026-12-04 10:00"), hours: office, calendar: Self.calendar) == at("2026-12-07 15:00"))
        #expect(d?.due(from: at("2026-12-31 08:00"), hours: office, calendar: Self.calendar) == at("2027-01-04 15:00"))
        // Around the clock, the next business day is simply tomorrow (次日15点前).
        #expect(d?.due(from: at("2026-12-05 23:50"), hours: .twentyFourSeven, calendar: Self.calendar) == at("2026-12-06 15:00"))
    }

    @Test func durationsNeedAUnit() {
        #expect(Deadline.parse("15m") == .within(900))
        #expect(Deadline.parse("1d") == .within(86400))
        #expect(Deadline.parse("2") == nil)
        #expect(Deadline.parse("next business day 25:00") == nil)
        #expect(Deadline.parse("soon") == nil)
    }

    @Test func serviceSecondsCountOnlyBusinessHours() {
        // Friday 2026-12-04 00:00 to Tuesday 00:00: Friday 9 h, Monday 9 h.
        #expect(office.serviceSeconds(from: at("2026-12-04 00:00"), to: at("2026-12-08 00:00"), calendar: Self.calendar) == 18 * 3600)
        #expect(ServiceHours.twentyFourSeven.serviceSeconds(from: at("2026-12-04 00:00"), to: at("2026-12-05 00:00"), calendar: Self.calendar) == 86400)
    }

    @Test func theStandardContractKeepsTodaysRestoreTargets() {
        let raised = at("2026-12-05 03:00")
        #expect(SLAContract.standard.restoreDue(.p1, raisedAt: raised, calendar: Self.calendar) == raised.addingTimeInterval(2 * 3600))
        #expect(SLAContract.standard.restoreDue(.p2, raisedAt: raised, calendar: Self.calendar) == raised.addingTimeInterval(4 * 3600))
        #expect(SLAContract.standard.restoreDue(.p3, raisedAt: raised, calendar: Self.calendar) == raised.addingTimeInterval(12 * 3600))
        #expect(SLAContract.standard.restoreDue(.p4, raisedAt: raised, calendar: Self.calendar) == nil)
    }

    @Test func icsHolidayCalendars() {
        // Folded lines, CRLF, a multi-day all-day event (DTEND exclusive) and a timed one.
        let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:国庆节\r\nDTSTART;VALUE=DATE:20261001\r\nDTEND;VALUE=DATE:20261004\r\nEND:VEVENT\r\n"
            + "BEGIN:VEVENT\r\nSUMMARY:元旦 with a long\r\n  folded summary\r\nDTSTART;VALUE=DATE:20270101\r\nEND:VEVENT\r\n"
            + "BEGIN:VEVENT\r\nDTSTART:20270211T000000\r\nDTEND:20270212T000000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        #expect(ICSCalendar.dates(in: ics) == ["2026-10-01", "2026-10-02", "2026-10-03", "2027-01-01", "2027-02-11"])
    }
}
