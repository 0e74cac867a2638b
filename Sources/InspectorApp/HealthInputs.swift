import Foundation
import History
import InspectorCore
import Reports

/// The service report's inputs, gathered the same way for `inspect report` and for the daemon's
/// report calendar: events from history and the spool, targets, reboots, maintenance windows,
/// contracts, and the periods to compare with.
public enum HealthInputs {
    /// An outage begun this long before a period still counts in its availability.
    static let lookback: Double = 31 * 86400

    /// The report of [from, to) drawn in any format, masked (with `masker`) or not: what
    /// stdout, the spool and mail are made of. Also returns the model, for the caller's log.
    public static func report(kind: ReportKind, period: String, from: Date, to: Date, history: History?, spool: String, config: InspectorConfig,
                              lang: Language, generatedAt: Date, templates: ReportTemplates, masker: Redactor,
                              calendar: Calendar = .current) -> (report: ServiceReport, render: (ReportFormat, Bool) -> Data) {
        let extras = extras(history: history, cards: config.cards, from: from, to: to, lang: lang)
        let service = model(kind: kind, period: period, from: from, to: to, history: history, spool: spool, config: config,
                            cards: extras.cards, generatedAt: generatedAt, calendar: calendar)
        return (service, { format, masked in
            HealthReport.render(service, format: format, lang: lang, generatedAt: generatedAt, extras: extras,
                                redact: masked ? { masker.redact($0) } : nil, templates: templates, timeZone: calendar.timeZone)
        })
    }

    /// The report's model without rendering (the bench and the daemon's log use it).
    public static func model(kind: ReportKind, period: String, from: Date, to: Date, history: History?, spool: String, config: InspectorConfig,
                             cards: [DailySummary.CardDay], generatedAt: Date, calendar: Calendar = .current) -> ServiceReport {
        let spooled = DaemonStateFile.events(in: "\(spool)/events")
        let targets = Set(([config.local].compactMap { $0 } + config.targets).map(\.id)).union(cards.map(\.target)).sorted()
        func summary(_ label: String, _ a: Date, _ b: Date) -> HealthSummary {
            var seen: Set<String> = []
            let stored = (try? history?.events(since: a.addingTimeInterval(-lookback), before: b)) ?? []
            let events = (stored + spooled.filter { $0.detectedAt < b && $0.detectedAt >= a.addingTimeInterval(-lookback) })
                .filter { seen.insert($0.id).inserted }
            var s = HealthSummary.build(period: label, from: a, to: b, events: events)
            s.kind = kind.rawValue
            let reboots = ((try? history?.outages(from: a, to: b)) ?? []).map { HealthSummary.Span(target: $0.target, from: $0.from, to: $0.to, kind: $0.kind) }
            s.measure(targets: targets, contract: { config.contract(of: $0) }, windows: config.maintenance, reboots: reboots,
                      until: generatedAt, calendar: calendar)
            return s
        }
        var report = ServiceReport(summary: summary(period, from, to))
        let start = min((try? history?.earliest()) ?? nil ?? .distantFuture, spooled.map(\.detectedAt).min() ?? .distantFuture)
        for (label, isLastYear) in [(ReportPeriod.previous(period, calendar: calendar), false), (ReportPeriod.yearBefore(period, calendar: calendar), true)] {
            // Compared only where history reaches back to the start of that period.
            guard let label, let (a, b) = ReportPeriod.parse(label, calendar: calendar), start <= a else { continue }
            let comparison = ServiceReport.Comparison(period: label, figures: summary(label, a, b).figures)
            if isLastYear { report.lastYear = comparison } else { report.previous = comparison }
        }
        report.categories = report.summary.categories(cards: cards, category: { config.category(of: $0) })
        let labels = config.targetLabels
        report.places = report.summary.places(targets: targets, labels: { labels[$0] ?? [:] }, cards: cards)
        let contracts = Dictionary(targets.map { t in let c = config.contract(of: t); return (c.name, c) }, uniquingKeysWith: { a, _ in a })
        report.hours = contracts.keys.sorted().map { ($0, contracts[$0]!.hours.summary) }
        report.objective = (config.sla.contracts[config.sla.defaultName] ?? .standard).availability
        return report
    }

    /// Alert events from history and from the spool's events folder, each id once: history keeps
    /// what a consumer of the spool has deleted, the spool what history missed (it was unavailable).
    public static func events(history: History?, spool: String) -> [AlertEvent] {
        var seen: Set<String> = []
        return (((try? history?.events()) ?? []) + DaemonStateFile.events(in: "\(spool)/events")).filter { seen.insert($0.id).inserted }
    }

    /// Trends, inventory and remedies for a report of [from, to), from history and the cards.
    public static func extras(history: History?, cards: [Card], from: Date, to: Date, lang: Language) -> HealthReport.Extras {
        var extras = HealthReport.Extras()
        extras.remedies = Dictionary(cards.compactMap { c in c.remedy.map { (c.id, $0.text(lang)) } }, uniquingKeysWith: { a, _ in a })
        guard let history else { return extras }
        extras.inventory = (try? history.inventory()) ?? [:]
        extras.cards = (try? history.cards(from: from, to: to)) ?? []
        // Only as many series as the report draws: fetching the rest would be wasted on a big fleet.
        for key in ((try? history.seriesKeys(metrics: HealthReport.trendMetrics, from: from, to: to)) ?? []).prefix(DailyReport.maxCharts) {
            let points = (try? history.hourly(target: key.target, metric: key.metric, instance: key.instance, from: from, to: to)) ?? []
            extras.trends.append((title: "\(key.target) \(key.metric) \(key.instance)", unit: DailyReport.unit(key.unit, metric: key.metric), points: points))
        }
        return extras
    }
}
