import Foundation
import History
import InspectorCore
import Reports

/// The health report's inputs, gathered the same way for `inspect report --kind health` and for
/// the daemon's report calendar.
public enum HealthInputs {
    /// The health report of [from, to) drawn in any format, masked (with `masker`) or not: what
    /// stdout, the spool and mail are made of. Also returns the summary, for the caller's log.
    public static func report(period: String, from: Date, to: Date, history: History?, spool: String, config: InspectorConfig,
                              lang: Language, generatedAt: Date, templates: ReportTemplates,
                              masker: Redactor) -> (summary: HealthSummary, render: (ReportFormat, Bool) -> Data) {
        let summary = HealthSummary.build(period: period, from: from, to: to, events: events(history: history, spool: spool))
        let extras = extras(history: history, cards: config.cards, from: from, to: to, lang: lang)
        return (summary, { format, masked in
            HealthReport.render(summary, format: format, lang: lang, generatedAt: generatedAt, extras: extras,
                                redact: masked ? { masker.redact($0) } : nil, templates: templates)
        })
    }

    /// Alert events from history and from the spool's events folder, each id once: history keeps
    /// what a consumer of the spool has deleted, the spool what history missed (it was unavailable).
    public static func events(history: History?, spool: String) -> [AlertEvent] {
        var seen: Set<String> = []
        return (((try? history?.events()) ?? []) + DaemonStateFile.events(in: "\(spool)/events")).filter { seen.insert($0.id).inserted }
    }

    /// Trends, inventory and remedies for a health report of [from, to), from history and the cards.
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
