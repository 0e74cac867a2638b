import Foundation

/// Which periodic health reports are due: on the 1st of a month the previous month's, and on the
/// 1st of January, April, July and October also the previous quarter's. Pure: time comes in.
public enum ReportCalendar {
    public struct Due: Sendable, Equatable {
        public var kind: String      // "monthly" or "quarterly"
        public var period: String    // "2026-10" or "2026-Q3"
        public var from: Date
        public var to: Date
    }

    /// Reports due at `now` that have not been written (`written` holds the periods done).
    public static func due(at now: Date, written: Set<String>, calendar: Calendar = .current) -> [Due] {
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        guard let year = parts.year, let month = parts.month, parts.day == 1,
              let thisMonth = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
              let lastMonth = calendar.date(byAdding: .month, value: -1, to: thisMonth) else { return [] }
        var out: [Due] = []
        let last = calendar.dateComponents([.year, .month], from: lastMonth)
        let monthly = String(format: "%04d-%02d", last.year!, last.month!)
        if !written.contains(monthly) { out.append(Due(kind: "monthly", period: monthly, from: lastMonth, to: thisMonth)) }
        if [1, 4, 7, 10].contains(month), let quarterStart = calendar.date(byAdding: .month, value: -3, to: thisMonth) {
            let q = calendar.dateComponents([.year, .month], from: quarterStart)
            let quarterly = "\(q.year!)-Q\((q.month! - 1) / 3 + 1)"
            if !written.contains(quarterly) { out.append(Due(kind: "quarterly", period: quarterly, from: quarterStart, to: thisMonth)) }
        }
        return out
    }
}
