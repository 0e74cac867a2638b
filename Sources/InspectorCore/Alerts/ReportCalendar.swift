import Foundation

/// Which period reports are due: for each kind configured, the period that ended last, from
/// `at` on the first day after it (Monday for weeks, the 1st for months...) for a grace of a
/// day (daily) or a week (the others), unless written. A daemon down all that time leaves it
/// to `inspect report`. Pure: time comes in.
public enum ReportCalendar {
    public struct Due: Sendable, Equatable {
        public var kind: ReportKind
        public var period: String
        public var from: Date
        public var to: Date
    }

    public static func due(at now: Date, kinds: [ReportKind], time: (hour: Int, minute: Int) = (8, 0), written: Set<String>,
                           calendar: Calendar = .current) -> [Due] {
        kinds.compactMap { kind in
            guard let current = ReportPeriod.parse(ReportPeriod.label(kind, containing: now, calendar: calendar), calendar: calendar),
                  let label = ReportPeriod.previous(ReportPeriod.label(kind, containing: now, calendar: calendar), calendar: calendar),
                  let (from, to) = ReportPeriod.parse(label, calendar: calendar), !written.contains(label),
                  let opens = calendar.date(bySettingHour: time.hour, minute: time.minute, second: 0, of: current.from) else { return nil }
            let grace: Double = kind == .daily ? 86400 : 7 * 86400
            guard now >= opens, now < current.from.addingTimeInterval(grace) else { return nil }
            return Due(kind: kind, period: label, from: from, to: to)
        }
    }
}
