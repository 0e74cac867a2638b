import Foundation
import InspectorCore

/// One self-contained HTML page: inline CSS, no scripts, every string escaped.
public enum HTMLReport {
    public static func render(_ report: InspectionReport, lang: Language) -> String {
        let cells = Cells(lang)
        let w = cells.words
        var rows = ""
        for f in report.findingsWorstFirst {
            rows += "<tr class=\"\(f.level.rawValue)\"><td>\(e(f.card))</td><td>\(e(f.target))</td><td>\(e(f.item(lang)))</td>"
            rows += "<td class=\"src\">\(e(cells.source(f)))</td><td>\(e(cells.expected(f)))</td><td>\(e(cells.measured(f)))</td>"
            var remarks = e(f.reason?.text(lang) ?? "")
            if f.status == .abnormal, let remedy = f.remedy {
                remarks += "<div class=\"remedy\">\(e(w.remedy)): \(e(remedy.text(lang)))</div>"
            }
            rows += "<td class=\"res\">\(e(w.result(f)))</td><td>\(remarks)</td></tr>\n"
        }
        let summary = [(w.devices, "\(report.targets.count)"), (w.cardsChecked, "\(report.findings.count)"),
                       (w.status(.abnormal), "\(report.count(.abnormal))"), (w.status(.unknown), "\(report.count(.unknown))"),
                       (w.coverage, "\(formatNumber(report.coveragePercent)) %")]
            .map { "<div class=\"box\"><b>\(e($0.1))</b><span>\(e($0.0))</span></div>" }.joined()
        return """
        <!DOCTYPE html>
        <html lang="\(lang == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
        <title>\(e(w.title)) \(e(report.run.host))</title>
        <style>
        body{font-family:"Noto Sans CJK SC","Noto Sans",Arial,sans-serif;margin:1.5em;color:#222}
        h1{font-size:1.4em;margin:0 0 .3em}
        .meta{color:#555;margin-bottom:1em}
        .boxes{display:flex;gap:.8em;margin-bottom:1em}
        .box{border:1px solid #ccc;border-radius:4px;padding:.4em .8em;min-width:6em}
        .box b{display:block;font-size:1.4em}
        table{border-collapse:collapse;width:100%;font-size:.85em}
        th,td{border:1px solid #bbb;padding:.25em .4em;vertical-align:top;text-align:left}
        th{background:#eee}
        tr.critical .res{background:#f8c9c4;font-weight:bold}
        tr.warning .res{background:#fbe6a6}
        tr.unknown .res{background:#e2d9f3}
        td.src{font-family:monospace;font-size:.9em;word-break:break-all}
        td:first-child,td.res{white-space:nowrap}
        .remedy{margin-top:.3em;color:#444}
        @page{size:A4 landscape;margin:12mm}
        </style></head><body>
        <h1>\(e(w.title)) — \(e(report.run.host))</h1>
        <div class="meta">\(e(w.started)): \(e(TextReport.stamp(report.run.startedAt))) · \(e(w.duration)): \(e(formatNumber(report.run.duration))) s · run \(e(report.run.id))</div>
        <div class="boxes">\(summary)</div>
        <table><thead><tr><th>\(e(w.card))</th><th>\(e(w.device))</th><th>\(e(w.item))</th><th>\(e(w.command))</th><th>\(e(w.expected))</th><th>\(e(w.measured))</th><th>\(e(w.result))</th><th>\(e(w.remarks))</th></tr></thead>
        <tbody>
        \(rows)</tbody></table>
        </body></html>

        """
    }

    /// Escapes text for HTML element content and attribute values.
    public static func e(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}

/// The formats `--format` accepts.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, html, md, csv

    public var fileExtension: String { self == .text ? "txt" : rawValue }

    public func render(_ report: InspectionReport, lang: Language, colour: Bool = false) -> Data {
        switch self {
        case .text: Data(TextReport.render(report, lang: lang, colour: colour).utf8)
        case .json: JSONReport.render(report, lang: lang)
        case .html: Data(HTMLReport.render(report, lang: lang).utf8)
        case .md: Data(MarkdownReport.render(report, lang: lang).utf8)
        case .csv: Data(CSVReport.render(report, lang: lang).utf8)
        }
    }
}
