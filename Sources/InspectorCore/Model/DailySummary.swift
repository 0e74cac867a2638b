import Foundation

/// Every target and card over a period (a day): each measured series with min/avg/max, and how
/// each card's findings went. Built from history; rendered by Reports.
public struct DailySummary: Sendable, Equatable {
    public struct Series: Sendable, Equatable {
        public var target: String
        public var metric: String
        public var instance: String
        /// As the readings gave it (stored in history); "" for series older than that column.
        public var unit: String
        public var min: Double
        public var avg: Double
        public var max: Double
        public var count: Int

        public init(target: String, metric: String, instance: String, unit: String = "", min: Double, avg: Double, max: Double, count: Int) {
            self.unit = unit
            self.target = target
            self.metric = metric
            self.instance = instance
            self.min = min
            self.avg = avg
            self.max = max
            self.count = count
        }
    }

    public struct CardDay: Sendable, Equatable {
        public var target: String
        public var card: String
        public var checks: Int
        public var abnormal: Int
        public var unknown: Int
        public var worst: Level
        /// A reason a check of this card could not reach a verdict.
        public var unknownReason: LocalizedText?

        public init(target: String, card: String, checks: Int, abnormal: Int, unknown: Int, worst: Level, unknownReason: LocalizedText? = nil) {
            self.unknownReason = unknownReason
            self.target = target
            self.card = card
            self.checks = checks
            self.abnormal = abnormal
            self.unknown = unknown
            self.worst = worst
        }
    }

    public var period: String
    public var from: Date
    public var to: Date
    public var series: [Series]
    public var cards: [CardDay]

    public init(period: String, from: Date, to: Date, series: [Series], cards: [CardDay]) {
        self.period = period
        self.from = from
        self.to = to
        self.series = series
        self.cards = cards
    }

    public func document() -> JSONValue {
        .object([
            ("schema", .string("inspect.daily/1")), ("period", .string(period)),
            ("from", .string(UTCTime.iso(from))), ("to", .string(UTCTime.iso(to))),
            ("cards", .array(cards.map { c in
                .object([("target", .string(c.target)), ("card", .string(c.card)), ("checks", .number(Double(c.checks))),
                         ("abnormal", .number(Double(c.abnormal))), ("unknown", .number(Double(c.unknown))), ("worst", .string(c.worst.rawValue))])
            })),
            ("series", .array(series.map { s in
                .object([("target", .string(s.target)), ("metric", .string(s.metric)), ("instance", .string(s.instance)),
                         ("min", .number(s.min)), ("avg", .number(s.avg)), ("max", .number(s.max)), ("samples", .number(Double(s.count)))])
            })),
        ])
    }
}

/// Report periods as users write them: "2026-11-24" (a day), "2026-11" (a month), "2026-Q4".
public enum ReportPeriod {
    /// "2026-10-01": a calendar date that exists.
    public static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2 else { return false }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        return parse(text, calendar: utc) != nil
    }

    public static func parse(_ text: String, calendar: Calendar = .current) -> (from: Date, to: Date)? {
        let parts = text.split(separator: "-").map(String.init)
        guard let year = Int(parts.first ?? "") else { return nil }
        if parts.count == 3, let m = Int(parts[1]), let d = Int(parts[2]),
           let from = calendar.date(from: DateComponents(year: year, month: m, day: d)), calendar.component(.day, from: from) == d {
            return (from, calendar.date(byAdding: .day, value: 1, to: from)!)
        }
        if parts.count == 2, parts[1].hasPrefix("Q"), let q = Int(parts[1].dropFirst()), (1...4).contains(q),
           let from = calendar.date(from: DateComponents(year: year, month: (q - 1) * 3 + 1, day: 1)) {
            return (from, calendar.date(byAdding: .month, value: 3, to: from)!)
        }
        if parts.count == 2, let m = Int(parts[1]), (1...12).contains(m), let from = calendar.date(from: DateComponents(year: year, month: m, day: 1)) {
            return (from, calendar.date(byAdding: .month, value: 1, to: from)!)
        }
        return nil
    }
}
