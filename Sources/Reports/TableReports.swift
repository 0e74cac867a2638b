import Foundation
import InspectorCore

/// Markdown and CSV: the card table as plain text formats.
public enum MarkdownReport {
    public static func render(_ report: InspectionReport, lang: Language) -> String {
        let cells = Cells(lang)
        let w = cells.words
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
                .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "<", with: "&lt;")
        }
        var out = "# \(w.title): \(esc(report.run.host))\n\n"
        out += "\(w.started): \(TextReport.stamp(report.run.startedAt)) · \(w.devices): \(report.targets.count) · "
        out += "\(w.status(.abnormal)): \(report.count(.abnormal)) · \(w.status(.unknown)): \(report.count(.unknown)) · "
        out += "\(w.coverage): \(formatNumber(report.coveragePercent)) %\n\n"
        let header = [w.card, w.device, w.item, w.command, w.expected, w.measured, w.result, w.remarks]
        out += "| " + header.joined(separator: " | ") + " |\n"
        out += "|" + String(repeating: "---|", count: header.count) + "\n"
        for f in report.findingsWorstFirst {
            let row = [f.card, f.target, f.item(lang), cells.source(f), cells.expected(f), cells.measured(f), w.result(f), cells.remarks(f)]
            out += "| " + row.map(esc).joined(separator: " | ") + " |\n"
        }
        return out
    }
}

/// RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote, CR or LF.
public enum CSVReport {
    public static func render(_ report: InspectionReport, lang: Language) -> String {
        let cells = Cells(lang)
        let w = cells.words
        let header = [w.card, w.device, "instance", w.item, w.command, w.expected, w.measured, w.result,
                      "status", "level", w.severity, "limit_source", w.remarks]
        var out = header.map(field).joined(separator: ",") + "\r\n"
        for f in report.findings {
            let row = [f.card, f.target, f.instance, f.item(lang), cells.source(f), cells.expected(f), cells.measured(f),
                       w.result(f), f.status.rawValue, f.level.rawValue, f.severity.rawValue, f.limitSource.rawValue, cells.remarks(f)]
            out += row.map(field).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
