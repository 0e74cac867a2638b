import Foundation

/// When the contract's clock runs: always (24x7), or business hours on a weekly schedule minus
/// holidays, plus make-up working days (调休, a Saturday worked in place of a holiday). Dates are
/// the host's local calendar, like maintenance windows; tests pass their own calendar.
public struct ServiceHours: Sendable, Equatable {
    public var always: Bool
    /// Weekdays 1 (Sunday) ... 7 (Saturday) that are business days.
    public var days: Set<Int> = []
    /// Minutes after midnight: the business day is [open, close).
    public var open = 0
    public var close = 24 * 60
    /// Local dates "2026-10-01" with no service, and dates served although their weekday is not.
    public var holidays: Set<String> = []
    public var workdays: Set<String> = []

    public static let twentyFourSeven = ServiceHours(always: true)

    public init(always: Bool, days: Set<Int> = [], open: Int = 0, close: Int = 24 * 60,
                holidays: Set<String> = [], workdays: Set<String> = []) {
        self.always = always
        self.days = days
        self.open = open
        self.close = close
        self.holidays = holidays
        self.workdays = workdays
    }

    public static func dayKey(_ date: Date, calendar: Calendar) -> String {
        let p = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", p.year ?? 0, p.month ?? 0, p.day ?? 0)
    }

    public func isBusinessDay(_ date: Date, calendar: Calendar) -> Bool {
        if always { return true }
        let key = Self.dayKey(date, calendar: calendar)
        if workdays.contains(key) { return true }
        if holidays.contains(key) { return false }
        return days.contains(calendar.component(.weekday, from: date))
    }

    /// The business window of the day holding `date`, nil on a day without service.
    func window(of date: Date, calendar: Calendar) -> (from: Date, to: Date)? {
        guard isBusinessDay(date, calendar: calendar) else { return nil }
        let start = calendar.startOfDay(for: date)
        guard let from = calendar.date(byAdding: .minute, value: open, to: start),
              let to = calendar.date(byAdding: .minute, value: close, to: start) else { return nil }
        return (from, to)
    }

    /// The moment `seconds` of service time after `start`: a clock started outside business
    /// hours starts at the next opening, and stops overnight, at weekends and on holidays.
    public func advance(_ start: Date, by seconds: Double, calendar: Calendar) -> Date {
        if always { return start.addingTimeInterval(seconds) }
        var remaining = seconds
        var day = calendar.startOfDay(for: start)
        // A schedule with business days meets one within a few weeks; the bound only stops a loop.
        for _ in 0..<800 {
            if let w = window(of: day, calendar: calendar) {
                let from = max(start, w.from)
                if from < w.to {
                    let available = w.to.timeIntervalSince(from)
                    if remaining <= available { return from.addingTimeInterval(remaining) }
                    remaining -= available
                }
            }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return start.addingTimeInterval(seconds)
    }

    /// "next business day 15:00": that time on the first business day after the day of `start`.
    public func nextBusinessDay(after start: Date, hour: Int, minute: Int, calendar: Calendar) -> Date {
        var day = calendar.startOfDay(for: start)
        for _ in 0..<800 {
            day = calendar.date(byAdding: .day, value: 1, to: day)!
            if isBusinessDay(day, calendar: calendar) { break }
        }
        return calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day) ?? day
    }

    /// Seconds of service time within [from, to): what a contract counts against availability.
    public func serviceSeconds(from: Date, to: Date, calendar: Calendar) -> Double {
        guard to > from else { return 0 }
        if always { return to.timeIntervalSince(from) }
        var total = 0.0
        var day = calendar.startOfDay(for: from)
        while day < to {
            if let w = window(of: day, calendar: calendar) {
                total += max(0, min(w.to, to).timeIntervalSince(max(w.from, from)))
            }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return total
    }

    /// "24x7" or "Mon-Fri 09:00-18:00, 2 holidays": for the report's method box.
    public var summary: String {
        if always { return "24x7" }
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let list = days.sorted().map { names[$0 - 1] }.joined(separator: ",")
        let clock = String(format: "%02d:%02d-%02d:%02d", open / 60, open % 60, close / 60, close % 60)
        return "\(list) \(clock)"
    }
}
