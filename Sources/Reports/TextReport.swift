import Foundation
import InspectorCore

/// The terminal table: one row per finding, then the abnormal and unverified items with reasons.
public enum TextReport {
    public static func render(_ report: InspectionReport, lang: Language, colour: Bool = false) -> String {
        let cells = Cells(lang)
        let w = cells.words
        var out = "\(w.title) — \(report.run.host) — \(stamp(report.run.startedAt))\n\n"
        let header = [w.card, w.device, w.item, w.measured, w.expected, w.result]
        let rows = report.findings.map { f in
            [f.card, f.target, clip(f.item(lang), 38), clip(cells.measured(f), 34), clip(cells.expected(f), 30), w.result(f)]
        }
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(displayWidth).max() ?? 0 }
        func line(_ row: [String], level: Level? = nil) -> String {
            var text = zip(row, widths).map { pad($0, $1) }.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            guard colour, let level, let code = ansi[level] else { return text + "\n" }
            return "\u{1B}[\(code)m\(text)\u{1B}[0m\n"
        }
        out += line(header)
        out += line(widths.map { String(repeating: "-", count: $0) })
        for (row, f) in zip(rows, report.findings) { out += line(row, level: f.level) }

        let abnormal = report.findingsWorstFirst.filter { $0.status == .abnormal }
        if !abnormal.isEmpty {
            out += "\n\(w.abnormalItems):\n"
            for f in abnormal {
                out += "  [\(f.severity.rawValue)] \(f.card) \(f.target) \(f.item(lang)): \(f.reason?.text(lang) ?? "")\n"
                for e in f.evidence.prefix(5) { out += "      \(e)\n" }
                if let remedy = f.remedy { out += "      \(w.remedy): \(remedy.text(lang))\n" }
            }
        }
        let unknown = report.findings.filter { $0.status == .unknown }
        if !unknown.isEmpty {
            out += "\n\(w.notVerified):\n"
            for f in unknown { out += "  \(f.card) \(f.target) \(f.item(lang)): \(f.reason?.text(lang) ?? "")\n" }
        }
        out += "\n\(w.summary): \(report.targets.count) \(w.devices), \(report.findings.count) \(w.cardsChecked), "
            + "\(w.status(.normal)) \(report.count(.normal)), \(w.status(.abnormal)) \(report.count(.abnormal)), "
            + "\(w.status(.unknown)) \(report.count(.unknown)); \(w.coverage) \(formatNumber(report.coveragePercent)) %; "
            + "\(w.duration) \(formatNumber(report.run.duration)) s\n"
        return out
    }

    static let ansi: [Level: String] = [.critical: "31", .warning: "33", .unknown: "35"]

    static func stamp(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss ZZZZZ"
        return f.string(from: d)
    }

    static func clip(_ s: String, _ width: Int) -> String {
        let flat = s.replacingOccurrences(of: "\n", with: " ")
        guard displayWidth(flat) > width else { return flat }
        var out = ""
        for c in flat {
            if displayWidth(out) + displayWidth(String(c)) > width - 1 { break }
            out.append(c)
        }
        return out + "…"
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - displayWidth(s)))
    }
}

/// Columns a string takes in a terminal: CJK ideographs and full-width forms take two.
func displayWidth(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { sum, u in
        let v = u.value
        let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v)
        return sum + (wide ? 2 : 1)
    }
}
