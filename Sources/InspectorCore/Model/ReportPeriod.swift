import Foundation

/// The report calendar's kinds and their periods: 2026-12-02, 2026-W49 (ISO week), 2026-12,
/// 2026-Q4, 2026-H2 and 2026, in the host's local time.
public enum ReportKind: String, Sendable, CaseIterable, Codable {
    case daily, weekly, monthly, quarterly, halfyear, yearly

    /// The kind a period label is written in.
    public init?(period: String) {
        let parts = period.split(separator: "-")
        switch parts.count {
        case 1: self = .yearly
        case 2 where parts[1].hasPrefix("W"): self = .weekly
        case 2 where parts[1].hasPrefix("Q"): self = .quarterly
        case 2 where parts[1].hasPrefix("H"): self = .halfyear
        case 2: self = .monthly
        case 3: self = .daily
        default: return nil
        }
    }
}

public enum ReportPeriod {
    /// "2026-10-01": a calendar date that exists.
    public static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2 else { return false }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        return parse(text, calendar: utc) != nil
    }

    /// [from, to) of a period label; nil when it is not one.
    public static func parse(_ text: String, calendar: Calendar = .current) -> (from: Date, to: Date)? {
        let parts = text.split(separator: "-").map(String.init)
        guard let year = Int(parts.first ?? ""), parts[0].count == 4 else { return nil }
        func span(_ from: Date?, _ component: Calendar.Component, _ n: Int) -> (Date, Date)? {
            guard let from, let to = calendar.date(byAdding: component, value: n, to: from) else { return nil }
            return (from, to)
        }
        if parts.count == 1 { return span(calendar.date(from: DateComponents(year: year, month: 1, day: 1)), .year, 1) }
        guard parts.count >= 2 else { return nil }
        if parts.count == 3, let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m),
           let from = calendar.date(from: DateComponents(year: year, month: m, day: d)), calendar.component(.day, from: from) == d {
            return span(from, .day, 1)
        }
        guard parts.count == 2 else { return nil }
        let p = parts[1]
        if p.hasPrefix("Q"), let q = Int(p.dropFirst()), (1...4).contains(q) {
            return span(calendar.date(from: DateComponents(year: year, month: (q - 1) * 3 + 1, day: 1)), .month, 3)
        }
        if p.hasPrefix("H"), let h = Int(p.dropFirst()), (1...2).contains(h) {
            return span(calendar.date(from: DateComponents(year: year, month: (h - 1) * 6 + 1, day: 1)), .month, 6)
        }
        if p.hasPrefix("W"), let w = Int(p.dropFirst()), (1...53).contains(w) {
            var iso = Calendar(identifier: .iso8601)
            iso.timeZone = calendar.timeZone
            guard let from = iso.date(from: DateComponents(weekday: 2, weekOfYear: w, yearForWeekOfYear: year)),
                  iso.component(.yearForWeekOfYear, from: from) == year, iso.component(.weekOfYear, from: from) == w else { return nil }
            return span(from, .day, 7)
        }
        if let m = Int(p), (1...12).contains(m) { return span(calendar.date(from: DateComponents(year: year, month: m, day: 1)), .month, 1) }
        return nil
    }

    /// The label of the period of `kind` holding `date`.
    public static func label(_ kind: ReportKind, containing date: Date, calendar: Calendar = .current) -> String {
        let p = calendar.dateComponents([.year, .month, .day], from: date)
        let y = p.year!, m = p.month!
        switch kind {
        case .daily: return String(format: "%04d-%02d-%02d", y, m, p.day!)
        case .weekly:
            var iso = Calendar(identifier: .iso8601)
            iso.timeZone = calendar.timeZone
            let w = iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            return String(format: "%04d-W%02d", w.yearForWeekOfYear!, w.weekOfYear!)
        case .monthly: return String(format: "%04d-%02d", y, m)
        case .quarterly: return "\(y)-Q\((m - 1) / 3 + 1)"
        case .halfyear: return "\(y)-H\(m <= 6 ? 1 : 2)"
        case .yearly: return "\(y)"
        }
    }

    /// The period before (2026-Q4 -> 2026-Q3) and the same period a year earlier (2025-Q4).
    public static func previous(_ label: String, calendar: Calendar = .current) -> String? {
        guard let kind = ReportKind(period: label), let (from, _) = parse(label, calendar: calendar) else { return nil }
        return Self.label(kind, containing: from.addingTimeInterval(-1), calendar: calendar)
    }

    public static func yearBefore(_ label: String, calendar: Calendar = .current) -> String? {
        guard let kind = ReportKind(period: label), let (from, to) = parse(label, calendar: calendar) else { return nil }
        // The middle of the period, a year back: week 53 and 29 February land in a real period.
        let middle = from.addingTimeInterval(to.timeIntervalSince(from) / 2)
        guard let back = calendar.date(byAdding: .year, value: -1, to: middle) else { return nil }
        return Self.label(kind, containing: back, calendar: calendar)
    }
}
