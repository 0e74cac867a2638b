import Foundation
import Testing
@testable import History

/// card_day's day is the local day's first moment, through libc's time zone (not ICU's calendar).
struct HistoryDayTests {
    /// In a process of its own (an exit test), since TZ is process-wide. The zones are POSIX rule
    /// strings, so they need no tzdata on the machine: China's, one with summer time changing at
    /// 02:00/03:00 (central Europe's), and one whose clock change at 24:00 skips a midnight (Chile's).
    @Test func dayStartsAtLocalMidnightOrTheFirstMomentAfterIt() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
            let cases: [(zone: String, at: String, day: String)] = [
                ("CST-8", "2026-12-07T16:30:00Z", "2026-12-07T16:00:00Z"),        // 00:30 on the 8th in Beijing
                ("CST-8", "2026-12-07T15:59:59Z", "2026-12-06T16:00:00Z"),        // 23:59:59 on the 7th
                ("CET-1CEST,M3.5.0,M10.5.0/3", "2026-03-29T12:00:00Z", "2026-03-28T23:00:00Z"),  // summer time began at 02:00
                ("CET-1CEST,M3.5.0,M10.5.0/3", "2026-10-25T12:00:00Z", "2026-10-24T22:00:00Z"),  // it ended at 03:00
                ("CET-1CEST,M3.5.0,M10.5.0/3", "2026-07-01T21:59:59Z", "2026-06-30T22:00:00Z"),
                ("<-04>4<-03>,M9.1.6/24,M4.1.6/24", "2026-09-06T15:00:00Z", "2026-09-06T04:00:00Z"),  // 00:00 skipped: 01:00
                ("<-04>4<-03>,M9.1.6/24,M4.1.6/24", "2026-09-05T15:00:00Z", "2026-09-05T04:00:00Z"),
            ]
            var wrong: [String] = []
            for c in cases {
                setenv("TZ", c.zone, 1)
                tzset()
                let day = History.day(of: utc(c.at))
                if day != utc(c.day).timeIntervalSince1970 { wrong.append("\(c.zone) \(c.at): \(Date(timeIntervalSince1970: day)), not \(c.day)") }
            }
            FileHandle.standardError.write(Data("\nday-results \(cases.count - wrong.count) of \(cases.count) \(wrong)\n".utf8))
            exit(EXIT_SUCCESS)   // the parent judges the line, which says what was wrong
        }
        let line = result.flatMap { String(decoding: $0.standardErrorContent, as: UTF8.self).split(separator: "\n").last { $0.hasPrefix("day-results ") } }
        #expect(line?.hasPrefix("day-results 7 of 7 ") == true, "\(line ?? "no result")")
    }

    /// In this process's own zone, whatever it is: the same day as Foundation's calendar gives,
    /// through a year of instants.
    @Test func dayAgreesWithTheCalendar() {
        let start = 1_767_225_600.0   // 2026-01-01T00:00:00Z
        for step in stride(from: 0.0, to: 366 * 86_400, by: 86_400 / 5 + 7) {
            let t = Date(timeIntervalSince1970: start + step)
            #expect(History.day(of: t) == Calendar.current.startOfDay(for: t).timeIntervalSince1970, "\(t)")
        }
    }
}
