import Foundation

/// A period during which alerts of some targets are not raised (findings are still recorded):
/// a one-off date/time range, or a weekly slot ("Sun 02:00-04:00"), in the host's local time.
public struct MaintenanceWindow: Sendable, Equatable {
    public enum When: Sendable, Equatable {
        case range(from: Date, to: Date)
        /// Weekdays 1 (Sunday) ... 7 (Saturday), minutes after midnight.
        case weekly(days: Set<Int>, fromMinute: Int, toMinute: Int)
    }

    /// Target ids, or empty for every target.
    public var targets: [String]
    public var when: When
    public var note: String?

    public func covers(_ target: String, at date: Date, calendar: Calendar = .current) -> Bool {
        guard targets.isEmpty || targets.contains(target) else { return false }
        switch when {
        case .range(let from, let to):
            return date >= from && date < to
        case .weekly(let days, let fromMinute, let toMinute):
            let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
            guard let day = parts.weekday, days.contains(day) else { return false }
            let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
            return minute >= fromMinute && minute < toMinute
        }
    }

    static let weekdays = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]

    /// "2026-11-24T22:00" (local time) or with a zone ("...Z", "+08:00").
    static func parseDate(_ text: String) -> Date? {
        let formats = ["yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mmXXXXX", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm"]
        for format in formats {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.dateFormat = format
            if let d = f.date(from: text) { return d }
        }
        return nil
    }

    static func parse(_ value: YAMLValue) throws(ConfigError) -> MaintenanceWindow {
        let m = try value.mapping(allowed: ["targets", "from", "to", "weekly", "note"])
        let targets = try m.optional("targets")?.stringList().filter { $0 != "*" } ?? []
        let note = try m.optional("note")?.string()
        if let w = m.optional("weekly") {
            // "Sun 02:00-04:00" or "Mon,Wed 22:00-23:30"
            let text = try w.string()
            let parts = text.split(separator: " ")
            guard parts.count == 2 else { throw w.error("weekly slot \"\(text)\" is not like \"Sun 02:00-04:00\"") }
            var days = Set<Int>()
            for d in parts[0].split(separator: ",") {
                guard let n = weekdays[String(d.prefix(3)).lowercased()] else { throw w.error("\"\(d)\" is not a weekday (Mon..Sun)") }
                days.insert(n)
            }
            let times = parts[1].split(separator: "-").map { parseClock(String($0)) }
            guard times.count == 2, let a = times[0], let b = times[1], a.hour * 60 + a.minute < b.hour * 60 + b.minute else {
                throw w.error("weekly slot \"\(text)\" needs HH:MM-HH:MM with the start before the end")
            }
            return MaintenanceWindow(targets: targets, when: .weekly(days: days, fromMinute: a.hour * 60 + a.minute, toMinute: b.hour * 60 + b.minute), note: note)
        }
        let fromValue = try m.required("from"), toValue = try m.required("to")
        guard let from = parseDate(try fromValue.string()) else { throw fromValue.error("expected a date and time such as 2026-11-24T22:00") }
        guard let to = parseDate(try toValue.string()) else { throw toValue.error("expected a date and time such as 2026-11-25T02:00") }
        guard from < to else { throw toValue.error("the window ends before it starts") }
        return MaintenanceWindow(targets: targets, when: .range(from: from, to: to), note: note)
    }
}
