import Foundation
import InspectorCore

/// A report as titled tables: what the daily and health reports have in common. Drawn by the
/// `period.*` templates; the JSON is the report's own document.
struct Tables {
    typealias Section = (heading: String, header: [String], rows: [[String]])
    var lang: Language
    var title: String
    var lines: [String]
    var sections: [Section]
    /// The summary box's figures and the coverage section's rows.
    var counts: (devices: Int, checked: Int, abnormal: Int, unknown: Int)
    var coverage: [ViewModel.CoverageRow]
    /// Levels of the rows of the section with this heading, where rows are verdicts (tinted in HTML).
    var rowLevels: [String: [String]] = [:]
    /// Inline SVG charts, shown in HTML only (already escaped).
    var charts: [String] = []

    /// Masks what `redact` masks in every text and cell, and in the JSON's strings.
    var redact: ((String) -> String)?

    func render(_ format: ReportFormat, json: JSONValue, templates: ReportTemplates) -> Data {
        if let redact {
            var masked = self
            masked.redact = nil
            masked.title = redact(title)
            masked.lines = lines.map(redact)
            masked.sections = sections.map { ($0.heading, $0.header, $0.rows.map { $0.map(redact) }) }
            masked.coverage = coverage.map { var r = $0; r.device = redact(r.device); r.why = redact(r.why); return r }
            return masked.render(format, json: json.mapStrings(keys: true, redact), templates: templates)
        }
        if format == .json { return withCoverage(json).serialized() }
        return Data((format.bom + format.finish(templates.render(view(text: format == .text), with: format.template("period")))).utf8)
    }

    /// The document with the summary box's figures and the coverage section added (additive keys).
    func withCoverage(_ json: JSONValue) -> JSONValue {
        guard case .object(var members) = json else { return json }
        func number(_ n: Int) -> JSONValue { .number(Double(n)) }
        func percent(_ checked: Int, _ unknown: Int) -> JSONValue {
            .number((InspectionReport.coverage(checked: checked, unknown: unknown) * 100).rounded() / 100)
        }
        members.append(("coverage", .object([
            ("devices", number(counts.devices)), ("checks", number(counts.checked)), ("abnormal", number(counts.abnormal)),
            ("unknown", number(counts.unknown)), ("percent", percent(counts.checked, counts.unknown)),
            ("by_device", .array(coverage.map { r in
                .object([("target", .string(r.device)), ("checks", number(r.checked)), ("unknown", number(r.unknown)),
                         ("percent", percent(r.checked, r.unknown)), ("why", .string(r.why))])
            })),
        ])))
        return .object(members)
    }

    func view(text: Bool) -> [String: Any] {
        let w = Words(lang)
        var coverageSection = ViewModel.coverageSection(coverage, words: w, text: text)
        coverageSection["isCoverage"] = true
        return [
            "lang": ViewModel.htmlLang(lang), "zh": lang == .zh, "title": title, "lines": lines,
            "summary": ViewModel.summary(words: w, devices: counts.devices, checked: counts.checked,
                                         abnormal: counts.abnormal, unknown: counts.unknown),
            "sections": sections.map { ViewModel.table(heading: $0.heading, header: $0.header, rows: $0.rows, levels: rowLevels[$0.heading], text: text) }
                + [coverageSection],
            "charts": charts, "hasCharts": !charts.isEmpty, "none": lang == .zh ? "无" : "none", "sectionWord": w.pick("表", "section"),
        ]
    }

    /// Summary counts and coverage rows from card statistics over the period.
    static func counts(_ cards: [DailySummary.CardDay]) -> (devices: Int, checked: Int, abnormal: Int, unknown: Int) {
        (Set(cards.map(\.target)).count, cards.reduce(0) { $0 + $1.checks }, cards.reduce(0) { $0 + $1.abnormal },
         cards.reduce(0) { $0 + $1.unknown })
    }

    /// Per device: checks, unknown, and each card that reached no verdict with a reason (the three
    /// most frequent; then how many more).
    static func coverage(_ cards: [DailySummary.CardDay], lang: Language) -> [ViewModel.CoverageRow] {
        Dictionary(grouping: cards, by: \.target).sorted { $0.key < $1.key }.map { target, mine in
            let unverified = mine.filter { $0.unknown > 0 }.sorted { ($0.unknown, $1.card) > ($1.unknown, $0.card) }
            var why = unverified.prefix(3).map { c in
                "\(c.card) (\(c.unknown))" + (c.unknownReason.map { ": \($0.text(lang))" } ?? "")
            }.joined(separator: "; ")
            if unverified.count > 3 { why += lang == .zh ? "；另有 \(unverified.count - 3) 项" : "; \(unverified.count - 3) more" }
            return ViewModel.CoverageRow(device: target, checked: mine.reduce(0) { $0 + $1.checks },
                                         unknown: mine.reduce(0) { $0 + $1.unknown }, why: why)
        }
    }
}

/// `inspect report --kind daily`.
public enum DailyReport {
    /// Metrics worth a trend line, in this order; at most `maxCharts` series are drawn.
    public static let charted = ["cpu.utilisation", "memory.used_percent", "temperature.celsius", "humidity.percent",
                                 "ups.output_load", "ups.runtime_minutes", "ups.battery_charge", "http.response_seconds"]
    public static let maxCharts = 12

    /// A series' unit: as history stored it, else (series recorded before units were stored) the
    /// metric catalogue's.
    public static func unit(_ stored: String, metric: String) -> String {
        stored.isEmpty ? MetricCatalogue.shipped.metrics[metric]?.unit ?? "" : stored
    }

    /// `samples(series)` gives a series' points over the day, for the charts; `titles` names the
    /// cards (card id -> title in the report's language).
    public static func render(_ d: DailySummary, format: ReportFormat, lang: Language, redact: ((String) -> String)? = nil,
                              templates: ReportTemplates = .shipped, titles: [String: String] = [:],
                              samples: (DailySummary.Series) -> [(Date, Double)] = { _ in [] }, timeZone: TimeZone = .current) -> Data {
        let w = Words(lang)
        let n = formatNumber
        let title = w.periodTitle(d.period)
        // Worst first, as on the inspection report: what needs attention is on top.
        let cards = d.cards.sorted { ($1.worst, $0.target, $0.card) < ($0.worst, $1.target, $1.card) }
        let cardsHeading = lang == .zh ? "检查项目" : "Cards"
        var tables = Tables(lang: lang, title: title, lines: [lang == .zh ? "检查项 \(d.cards.count)，数据序列 \(d.series.count)" : "\(d.cards.count) cards checked, \(d.series.count) series"],
                            sections: [
            (cardsHeading, [w.device, w.card, w.item, lang == .zh ? "检查次数" : "Checks", lang == .zh ? "不正常" : "Abnormal",
                            lang == .zh ? "未知" : "Unknown", lang == .zh ? "最差" : "Worst"],
             cards.map { [$0.target, $0.card, titles[$0.card] ?? "", "\($0.checks)", "\($0.abnormal)", "\($0.unknown)", w.level($0.worst)] }),
            (lang == .zh ? "实测值" : "Measurements", [w.device, lang == .zh ? "指标" : "Metric", lang == .zh ? "实例" : "Instance",
                                                     lang == .zh ? "最小" : "Min", lang == .zh ? "平均" : "Avg", lang == .zh ? "最大" : "Max",
                                                     lang == .zh ? "样本" : "Samples"],
             // The metric in the report's words with its unit ("CPU利用率 (%)"); the JSON keeps the metric's id.
             d.series.map { s in
                 let unit = Vocabulary.unit(unit(s.unit, metric: s.metric)).text(lang)
                 return [s.target, w.metricAlone(s.metric) + (unit.isEmpty ? "" : " (\(unit))"), Vocabulary.label(s.instance, lang),
                         n(s.min), n(s.avg), n(s.max), "\(s.count)"]
             }),
        ], counts: Tables.counts(d.cards), coverage: Tables.coverage(d.cards, lang: lang))
        tables.rowLevels[cardsHeading] = cards.map(\.worst.rawValue)
        var withCharts = tables
        withCharts.redact = redact
        if format == .html && redact == nil {   // chart titles name devices: left out of redacted copies
            let chosen = d.series.filter { charted.contains($0.metric) && $0.count >= 2 }
                .sorted { (charted.firstIndex(of: $0.metric)!, $0.target) < (charted.firstIndex(of: $1.metric)!, $1.target) }
                .prefix(maxCharts)
            withCharts.charts = chosen.map { s in
                // The metric's name in words, never its id.
                let name = w.metricAlone(s.metric)
                let label = s.instance.isEmpty ? "\(s.target) \(name)" : "\(s.target) \(name) \(Vocabulary.label(s.instance, lang))"
                return SVGChart.line(samples(s), title: label, unit: Vocabulary.unit(unit(s.unit, metric: s.metric)).text(lang), timeZone: timeZone)
            }.filter { !$0.isEmpty }
        }
        return withCharts.render(format, json: d.document(), templates: templates)
    }
}

/// `inspect report --kind health`: the monthly or quarterly health report.
public enum HealthReport {
    /// What history adds: trend points per series, inventory per device.
    public struct Extras: Sendable {
        public var trends: [(title: String, unit: String, points: [(Date, Double)])] = []
        public var inventory: [String: [String: String]] = [:]
        /// Card id -> remedy text, for the recommendations.
        public var remedies: [String: String] = [:]
        /// How each target's cards went over the period, for the summary box and the coverage section.
        public var cards: [DailySummary.CardDay] = []
        public init() {}
    }

    public static let trendMetrics = ["cpu.utilisation", "temperature.celsius", "ups.output_load", "ups.runtime_minutes"]

    public static func render(_ h: HealthSummary, format: ReportFormat, lang: Language, generatedAt: Date, extras: Extras = Extras(),
                              redact: ((String) -> String)? = nil, templates: ReportTemplates = .shipped, timeZone: TimeZone = .current) -> Data {
        let zh = lang == .zh
        let sla = h.slaAchievedPercent.map { "\(formatNumber($0)) %" } ?? "—"
        let span = h.to.timeIntervalSince(h.from)
        let unreachable = h.unreachableSeconds
        let targets = Set(h.alerts.map(\.target)).union(extras.inventory.keys).union(extras.cards.map(\.target)).sorted()
        let stamp = { ViewModel.stamp($0, in: timeZone) }
        // Alerts counted once per device and per card (the tables below and the recommendations read them).
        let byTarget = Dictionary(grouping: h.alerts, by: \.target).mapValues(\.count)
        let byCard = Dictionary(grouping: h.alerts, by: \.card).mapValues(\.count)
        var sections: [(heading: String, header: [String], rows: [[String]])] = [
            (zh ? "可用率" : "Availability", [zh ? "设备名称" : "Device", zh ? "可用率" : "Available", zh ? "告警" : "Alerts"],
             targets.map { t in [t, "\(formatNumber((1 - (unreachable[t] ?? 0) / span) * 100)) %", "\(byTarget[t] ?? 0)"] }),
            (zh ? "按级别" : "By severity", [zh ? "级别" : "Severity", zh ? "告警" : "Alerts"],
             Severity.allCases.map { s in [s.rawValue, "\(h.alerts.filter { $0.severity == s }.count)"] }),
            (zh ? "按检查项目" : "By card", [zh ? "编号" : "Card", zh ? "告警" : "Alerts"],
             byCard.keys.sorted().map { c in [c, "\(byCard[c]!)"] }),
            (zh ? "告警明细" : "Alerts", [zh ? "设备名称" : "Device", zh ? "编号" : "Card", zh ? "级别" : "Severity", zh ? "发现时间" : "Detected",
                                          zh ? "恢复时间" : "Cleared", zh ? "是否达标" : "Within SLA"],
             h.alerts.map { a in [a.target, a.card, a.severity.rawValue, stamp(a.detectedAt), a.clearedAt.map(stamp) ?? "—",
                                  a.withinSLA.map { $0 ? (zh ? "是" : "yes") : (zh ? "否" : "no") } ?? "—"] }),
        ]
        if !extras.inventory.isEmpty {
            sections.append((zh ? "设备清单" : "Inventory",
                             [zh ? "设备名称" : "Device", zh ? "型号" : "Model", zh ? "序列号" : "Serial", zh ? "固件" : "Firmware", zh ? "系统" : "System"],
                             extras.inventory.keys.sorted().map { t in
                                 let i = extras.inventory[t]!
                                 // System: a host's OS and kernel, a device's own description.
                                 let system = [i["os"], i["kernel"]].compactMap { $0 }.joined(separator: ", ")
                                 return [t, i["model"] ?? "—", i["serial"] ?? "—", i["firmware"] ?? "—",
                                         system.isEmpty ? i["sysDescr"].map { String($0.prefix(60)) } ?? "—" : system]
                             }))
        }
        // Most alerts first.
        let cardsWithAlerts = byCard.keys.sorted { (byCard[$1]!, $0) < (byCard[$0]!, $1) }
        let recommendations = cardsWithAlerts.compactMap { c in extras.remedies[c].map { [c, "\(byCard[c]!)", $0] } }
        if !recommendations.isEmpty {
            sections.append((zh ? "处理建议" : "Recommendations", [zh ? "编号" : "Card", zh ? "告警" : "Alerts", zh ? "建议" : "What to do"], recommendations))
        }
        var tables = Tables(lang: lang, title: "\(Words(lang).healthReport) \(h.period)",
                            lines: [zh ? "告警 \(h.alerts.count)，SLA达成率 \(sla)" : "\(h.alerts.count) alerts, SLA achieved \(sla)"],
                            sections: sections, counts: Tables.counts(extras.cards), coverage: Tables.coverage(extras.cards, lang: lang))
        tables.redact = redact
        if format == .html && redact == nil {   // chart titles name devices: left out of redacted copies
            tables.charts = extras.trends.prefix(DailyReport.maxCharts).map { SVGChart.line($0.points, title: $0.title, unit: $0.unit, timeZone: timeZone) }.filter { !$0.isEmpty }
        }
        return tables.render(format, json: h.document(generatedAt: generatedAt), templates: templates)
    }
}
