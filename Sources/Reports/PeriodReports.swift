import Foundation
import InspectorCore

/// A report as titled tables: what the daily and health reports have in common, in every format.
struct Tables {
    var title: String
    var lines: [String]
    var sections: [(heading: String, header: [String], rows: [[String]])]
    /// Inline SVG charts, shown in HTML only (already escaped).
    var charts: [String] = []

    /// Masks what `redact` masks in every text and cell, and in the JSON's strings.
    var redact: ((String) -> String)?

    func render(_ format: ReportFormat, json: JSONValue) -> Data {
        if let redact {
            var masked = self
            masked.redact = nil
            masked.title = redact(title)
            masked.lines = lines.map(redact)
            masked.sections = sections.map { ($0.heading, $0.header, $0.rows.map { $0.map(redact) }) }
            return masked.render(format, json: json.mapStrings(redact))
        }
        switch format {
        case .json: return json.serialized()
        case .text: return Data(text.utf8)
        case .md: return Data(markdown.utf8)
        case .csv: return Data(csv.utf8)
        case .html: return Data(html.utf8)
        }
    }

    var text: String {
        var out = "\(title)\n" + lines.map { "\($0)\n" }.joined()
        for s in sections {
            out += "\n\(s.heading)\n"
            let widths = s.header.indices.map { i in ([s.header[i]] + s.rows.map { $0[i] }).map(displayWidth).max() ?? 0 }
            for row in [s.header, widths.map { String(repeating: "-", count: $0) }] + s.rows {
                out += zip(row, widths).map { TextReport.pad($0, $1) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            }
        }
        return out
    }

    var markdown: String {
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "\n", with: " ") }
        var out = "# \(esc(title))\n\n" + lines.map { esc($0) + "  \n" }.joined()
        for s in sections {
            out += "\n## \(esc(s.heading))\n\n| " + s.header.map(esc).joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: s.header.count) + "\n"
            for row in s.rows { out += "| " + row.map(esc).joined(separator: " | ") + " |\n" }
        }
        return out
    }

    /// RFC 4180, one block per section: a section column first.
    var csv: String {
        var out = ""
        for s in sections {
            out += (["section"] + s.header).map(CSVReport.field).joined(separator: ",") + "\r\n"
            for row in s.rows { out += ([s.heading] + row).map(CSVReport.field).joined(separator: ",") + "\r\n" }
        }
        return out
    }

    var html: String {
        let e = HTMLReport.e
        var body = "<h1>\(e(title))</h1>\n" + lines.map { "<div class=\"meta\">\(e($0))</div>\n" }.joined()
        if !charts.isEmpty { body += "<div class=\"charts\">" + charts.joined() + "</div>\n" }
        for s in sections {
            body += "<h2>\(e(s.heading))</h2>\n<table><thead><tr>" + s.header.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            for row in s.rows { body += "<tr>" + row.map { "<td>\(e($0))</td>" }.joined() + "</tr>\n" }
            body += "</tbody></table>\n"
        }
        return """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>\(e(title))</title>
        <style>body{font-family:"Noto Sans CJK SC","Noto Sans",Arial,sans-serif;margin:1.5em;color:#222}
        table{border-collapse:collapse;width:100%;font-size:.85em;margin-bottom:1em}th,td{border:1px solid #bbb;padding:.25em .4em;text-align:left}
        th{background:#eee}.meta{color:#555}.charts{display:flex;flex-wrap:wrap;gap:.5em;margin:1em 0}
        .charts svg{break-inside:avoid}@page{size:A4;margin:12mm}</style></head><body>
        \(body)</body></html>

        """
    }
}

/// `inspect report --kind daily`.
public enum DailyReport {
    /// Metrics worth a trend line, in this order; at most `maxCharts` series are drawn.
    public static let charted = ["cpu.utilisation", "memory.used_percent", "temperature.celsius", "humidity.percent",
                                 "ups.output_load", "ups.runtime_minutes", "ups.battery_charge", "http.response_seconds"]
    public static let maxCharts = 12

    /// The unit a metric's name implies, for chart labels.
    public static func unit(of metric: String) -> String {
        if metric.hasSuffix("percent") || metric.hasSuffix("utilisation") || metric.hasSuffix("load") || metric.hasSuffix("charge") { return "%" }
        if metric.hasSuffix("celsius") { return "°C" }
        if metric.hasSuffix("minutes") { return "min" }
        if metric.hasSuffix("seconds") { return "s" }
        return ""
    }

    /// `samples(series)` gives a series' points over the day, for the charts.
    public static func render(_ d: DailySummary, format: ReportFormat, lang: Language, redact: ((String) -> String)? = nil,
                              samples: (DailySummary.Series) -> [(Date, Double)] = { _ in [] }) -> Data {
        let w = Words(lang)
        let n = formatNumber
        let title = lang == .zh ? "日报 \(d.period)" : "Daily report \(d.period)"
        let tables = Tables(title: title, lines: [lang == .zh ? "检查项 \(d.cards.count)，数据序列 \(d.series.count)" : "\(d.cards.count) cards checked, \(d.series.count) series"],
                            sections: [
            (lang == .zh ? "检查项目" : "Cards", [w.device, w.card, lang == .zh ? "检查次数" : "checks", w.status(.abnormal), w.status(.unknown), lang == .zh ? "最差" : "worst"],
             d.cards.map { [$0.target, $0.card, "\($0.checks)", "\($0.abnormal)", "\($0.unknown)", w.level($0.worst)] }),
            (lang == .zh ? "实测值" : "Measurements", [w.device, lang == .zh ? "指标" : "metric", lang == .zh ? "实例" : "instance",
                                                     w.stat("min"), w.stat("avg"), w.stat("max"), lang == .zh ? "样本" : "samples"],
             d.series.map { [$0.target, $0.metric, $0.instance, n($0.min), n($0.avg), n($0.max), "\($0.count)"] }),
        ])
        var withCharts = tables
        withCharts.redact = redact
        if format == .html && redact == nil {   // chart titles name devices: left out of redacted copies
            let chosen = d.series.filter { charted.contains($0.metric) && $0.count >= 2 }
                .sorted { (charted.firstIndex(of: $0.metric)!, $0.target) < (charted.firstIndex(of: $1.metric)!, $1.target) }
                .prefix(maxCharts)
            withCharts.charts = chosen.map { s in
                let label = s.instance.isEmpty ? "\(s.target) \(w.metric(s.metric))" : "\(s.target) \(w.metric(s.metric)) \(s.instance)"
                return SVGChart.line(samples(s), title: label, unit: unit(of: s.metric))
            }.filter { !$0.isEmpty }
        }
        return withCharts.render(format, json: d.document())
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
        public init() {}
    }

    public static let trendMetrics = ["cpu.utilisation", "temperature.celsius", "ups.output_load", "ups.runtime_minutes"]

    public static func render(_ h: HealthSummary, format: ReportFormat, lang: Language, generatedAt: Date, extras: Extras = Extras(),
                              redact: ((String) -> String)? = nil) -> Data {
        let zh = lang == .zh
        let sla = h.slaAchievedPercent.map { "\(formatNumber($0)) %" } ?? "—"
        let span = h.to.timeIntervalSince(h.from)
        let unreachable = h.unreachableSeconds
        let targets = Set(h.alerts.map(\.target)).union(extras.inventory.keys).sorted()
        let stamp = TextReport.stamp
        var sections: [(heading: String, header: [String], rows: [[String]])] = [
            (zh ? "可用率" : "Availability", [zh ? "设备名称" : "Device", zh ? "可用率" : "available", zh ? "告警" : "alerts"],
             targets.map { t in [t, "\(formatNumber((1 - (unreachable[t] ?? 0) / span) * 100)) %", "\(h.alerts.filter { $0.target == t }.count)"] }),
            (zh ? "按级别" : "By severity", [zh ? "级别" : "Severity", zh ? "告警" : "alerts"],
             Severity.allCases.map { s in [s.rawValue, "\(h.alerts.filter { $0.severity == s }.count)"] }),
            (zh ? "按检查项目" : "By card", [zh ? "编号" : "Card", zh ? "告警" : "alerts"],
             Set(h.alerts.map(\.card)).sorted().map { c in [c, "\(h.alerts.filter { $0.card == c }.count)"] }),
            (zh ? "告警明细" : "Alerts", [zh ? "设备名称" : "Device", zh ? "编号" : "Card", zh ? "级别" : "Severity", zh ? "发现时间" : "detected",
                                          zh ? "恢复时间" : "cleared", zh ? "是否达标" : "within SLA"],
             h.alerts.map { a in [a.target, a.card, a.severity.rawValue, stamp(a.detectedAt), a.clearedAt.map(stamp) ?? "—",
                                  a.withinSLA.map { $0 ? (zh ? "是" : "yes") : (zh ? "否" : "no") } ?? "—"] }),
        ]
        if !extras.inventory.isEmpty {
            sections.append((zh ? "设备清单" : "Inventory", [zh ? "设备名称" : "Device", zh ? "型号" : "model", zh ? "序列号" : "serial", zh ? "固件" : "firmware"],
                             extras.inventory.keys.sorted().map { t in
                                 let i = extras.inventory[t]!
                                 return [t, i["model"] ?? i["sysDescr"].map { String($0.prefix(40)) } ?? "—", i["serial"] ?? "—", i["firmware"] ?? "—"]
                             }))
        }
        let cardsWithAlerts = Set(h.alerts.map(\.card)).sorted { a, b in
            h.alerts.filter { $0.card == a }.count != h.alerts.filter { $0.card == b }.count
                ? h.alerts.filter { $0.card == a }.count > h.alerts.filter { $0.card == b }.count : a < b
        }
        let recommendations = cardsWithAlerts.compactMap { c in extras.remedies[c].map { [c, "\(h.alerts.filter { $0.card == c }.count)", $0] } }
        if !recommendations.isEmpty {
            sections.append((zh ? "处理建议" : "Recommendations", [zh ? "编号" : "Card", zh ? "告警" : "alerts", zh ? "建议" : "what to do"], recommendations))
        }
        var tables = Tables(title: zh ? "健康报告 \(h.period)" : "Health report \(h.period)",
                            lines: [zh ? "告警 \(h.alerts.count)，SLA达成率 \(sla)" : "\(h.alerts.count) alerts, SLA achieved \(sla)"],
                            sections: sections)
        tables.redact = redact
        if format == .html && redact == nil {   // chart titles name devices: left out of redacted copies
            tables.charts = extras.trends.prefix(DailyReport.maxCharts).map { SVGChart.line($0.points, title: $0.title, unit: $0.unit) }.filter { !$0.isEmpty }
        }
        return tables.render(format, json: h.document(generatedAt: generatedAt))
    }
}
