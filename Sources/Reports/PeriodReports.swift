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
    /// A short text under a section's heading (the method box), by heading.
    var notes: [String: String] = [:]
    /// Roles that sign the report (the form's sign-off block); none on a daily summary.
    var signers: [String] = []
    var signWords: (signature: String, date: String) = ("", "")

    /// Masks what `redact` masks in every text and cell, and in the JSON's strings.
    var redact: ((String) -> String)?

    func render(_ format: ReportFormat, json: JSONValue, templates: ReportTemplates) -> Data {
        if let redact {
            var masked = self
            masked.redact = nil
            masked.title = redact(title)
            masked.lines = lines.map(redact)
            masked.sections = sections.map { ($0.heading, $0.header, $0.rows.map { $0.map(redact) }) }
            masked.notes = notes.mapValues(redact)
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
            "sections": sections.map { s -> [String: Any] in
                var t = ViewModel.table(heading: s.heading, header: s.header, rows: s.rows, levels: rowLevels[s.heading], text: text)
                t["note"] = notes[s.heading]
                t["noTable"] = s.header.isEmpty
                return t
            } + [coverageSection],
            "signers": signers.map { role -> [String: String] in
                let colon = lang == .zh ? "：" : ": "
                return ["role": role, "line": "\(role)\(colon)________  \(signWords.signature)\(colon)________  \(signWords.date)\(colon)________"]
            }, "hasSigners": !signers.isEmpty,
            "signWords": ["signature": signWords.signature, "date": signWords.date],
            "charts": charts, "hasCharts": !charts.isEmpty,
            // A report that signs off (the service report) opens with its verdict; its trends follow the tables.
            "chartsLast": !signers.isEmpty, "trendsHeading": w.pick("趋势", "Trends"), "none": lang == .zh ? "无" : "none", "sectionWord": w.pick("表", "section"),
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
        if !d.backups.isEmpty {
            // 系统备份记录: every backup taken in the period, with the worst verdict it had.
            let h = BackupRecords.header(w)
            let stamp = ViewModel.formatter("yyyy-MM-dd HH:mm", timeZone)
            tables.sections.append((h["title"]!, [h["backup"]!, h["time"]!, h["size"]!, h["result"]!, h["verdict"]!],
                                    d.backups.map { b in [b.target, stamp.string(from: b.taken), b.sizeMB.map { "\(n($0)) MB" } ?? "—",
                                                         b.result.isEmpty ? "—" : w.state(b.result), w.level(b.level)] }))
            tables.rowLevels[h["title"]!] = d.backups.map(\.level.rawValue)
        }
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
