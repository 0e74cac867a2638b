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
    /// Backups taken in the period (BAK-001), oldest first.
    public var backups: [BackupRecord] = []

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
        ] + (backups.isEmpty ? [] : [("backups", .array(backups.map { b in
            .object([("target", .string(b.target)), ("taken", .string(UTCTime.iso(b.taken))), ("size_mb", b.sizeMB.map(JSONValue.number) ?? .null),
                     ("result", .string(b.result)), ("worst", .string(b.level.rawValue))])
        }))]))
    }
}

/// Report periods as users write them: "2026-11-24" (a day), "2026-11" (a month), "2026-Q4".
