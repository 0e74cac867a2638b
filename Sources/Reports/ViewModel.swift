import Foundation
import InspectorCore

/// What every report view has: the language, the summary box and the coverage section.
/// Views are plain dictionaries and arrays, which is what Mustache templates read; the keys are
/// listed in Config/templates/README.md for people who write their own templates.
enum ViewModel {
    /// One box of the summary: a number and what it counts.
    /// `bad` and `unsure` mark the boxes that should catch the eye (abnormal, unknown).
    static func box(_ label: String, _ value: String, bad: Bool = false, unsure: Bool = false) -> [String: Any] {
        ["label": label, "value": value, "bad": bad, "unsure": unsure]
    }

    static func summary(words w: Words, devices: Int, checked: Int, abnormal: Int, unknown: Int) -> [[String: Any]] {
        // Labels, so capitalised in English ("Abnormal"), unlike the verdict words in table cells.
        func label(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }
        return [
            box(w.devices, "\(devices)"), box(w.cardsChecked, "\(checked)"),
            box(label(w.status(.normal)), "\(checked - abnormal - unknown)"),
            box(label(w.status(.abnormal)), "\(abnormal)", bad: abnormal > 0),
            box(label(w.status(.unknown)), "\(unknown)", unsure: unknown > 0),
            box(w.coverage, "\(formatNumber(InspectionReport.coverage(checked: checked, unknown: unknown))) %", unsure: unknown > 0),
        ]
    }


    /// The coverage section: per device, how many checks reached a verdict, and why the others did not.
    struct CoverageRow {
        var device: String
        var checked: Int
        var unknown: Int
        var why: String
    }

    static func coverageSection(_ rows: [CoverageRow], words w: Words, text: Bool) -> [String: Any] {
        let zh = w.lang == .zh
        let header = [w.device, w.cardsChecked, zh ? "已核实" : "Verified", zh ? "未知" : "Unknown", w.coverage, zh ? "未核实原因" : "Why not verified"]
        let cells = rows.map { r in
            [r.device, "\(r.checked)", "\(r.checked - r.unknown)", "\(r.unknown)",
             "\(formatNumber(InspectionReport.coverage(checked: r.checked, unknown: r.unknown))) %", r.why]
        }
        var section = table(heading: w.coverage, header: header, rows: cells, text: text)
        section["complete"] = rows.allSatisfy { $0.unknown == 0 }
        section["note"] = zh ? "覆盖率 = 得出结论（正常或不正常）的检查项所占比例。" : "Coverage is the share of checks that reached a verdict (normal or abnormal)."
        return section
    }

    /// A titled table. For terminal templates each cell also comes padded to its column's width
    /// (`padded`), with a `rule` of dashes under the header.
    /// `levels`: a level per row ("critical", "warning", "unknown", "ok") where rows are verdicts.
    static func table(heading: String, header: [String], rows: [[String]], levels: [String]? = nil, text: Bool) -> [String: Any] {
        let widths = text ? header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(displayWidth).max() ?? 0 } : []
        var view: [String: Any] = ["heading": heading, "header": header, "empty": rows.isEmpty]
        view["rows"] = rows.enumerated().map { i, row -> [String: Any] in
            var r: [String: Any] = ["cells": row]
            if let levels { r["level"] = levels[i] }
            if text { r["padded"] = zip(row, widths).map { pad($0, $1) } }
            return r
        }
        if text {
            view["headerPadded"] = zip(header, widths).map { pad($0, $1) }
            view["rule"] = widths.map { String(repeating: "-", count: $0) }
        }
        return view
    }

    /// Pads the `columns` of each row (and the header) to a common width, clipping long cells,
    /// under the key `padded`, for terminal templates.
    /// Cells padded to their column's width; a cell wider than its column wraps onto further
    /// lines (`more`, each a dictionary of the same keys), never cut.
    static func padColumns(_ rows: inout [[String: Any]], header: inout [String: Any], columns: [(key: String, clip: Int)]) {
        func lines(_ row: [String: Any], _ key: String, _ width: Int) -> [String] { wrap(row[key] as? String ?? "", width) }
        let widths = columns.map { c in ([header] + rows).flatMap { lines($0, c.key, c.clip) }.map(displayWidth).max() ?? 0 }
        func padded(_ row: [String: Any]) -> [[String: String]] {
            let cells = zip(columns, widths).map { lines(row, $0.key, $1) }
            return (0..<(cells.map(\.count).max() ?? 1)).map { n in
                Dictionary(uniqueKeysWithValues: zip(columns, widths).enumerated().map { i, cw in
                    (cw.0.key, pad(n < cells[i].count ? cells[i][n] : "", cw.1))
                })
            }
        }
        header["padded"] = padded(header).first ?? [:]
        header["rule"] = Dictionary(uniqueKeysWithValues: zip(columns, widths).map { ($0.key, String(repeating: "-", count: $1)) })
        rows = rows.map { row in
            var r = row
            let all = padded(row)
            r["padded"] = all.first ?? [:]
            r["more"] = Array(all.dropFirst())
            return r
        }
    }

    /// Lines of at most `width` columns (CJK counts two), broken after a space or a full-width
    /// punctuation mark where one is near, else between characters.
    static func wrap(_ s: String, _ width: Int) -> [String] {
        let flat = terminalSafe(s)
        guard displayWidth(flat) > width, width > 1 else { return [flat] }
        var out: [String] = []
        var line = ""
        for c in flat {
            if displayWidth(line) + displayWidth(String(c)) > width {
                // Back up to the last break opportunity in the second half of the line.
                if let cut = line.lastIndex(where: { $0 == " " || "，；、。）".contains($0) }), displayWidth(String(line[..<cut])) > width / 2 {
                    let next = line.index(after: cut)
                    out.append(String(line[...cut]).trimmingCharacters(in: .whitespaces))
                    line = String(line[next...])
                } else {
                    out.append(line)
                    line = ""
                }
            }
            if !(line.isEmpty && c == " ") { line.append(c) }
        }
        if !line.isEmpty { out.append(line) }
        return out
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - displayWidth(s)))
    }

    /// Terminal output without the spaces padding leaves at line ends.
    static func trimLineEnds(_ s: String) -> String {
        s.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.last == " " ? String(line.reversed().drop(while: { $0 == " " }).reversed()) : String(line) }
            .joined(separator: "\n")
    }

    static func htmlLang(_ lang: Language) -> String { lang == .zh ? "zh-CN" : "en" }

    /// Local time with its offset, as a reader on site expects ("2026-11-24 09:13:05 +08:00"), in
    /// the time zone the caller renders for (the site's; tests pin one).
    static func stamp(_ d: Date, in zone: TimeZone) -> String { formatter("yyyy-MM-dd HH:mm:ss ZZZZZ", zone).string(from: d) }

    /// DateFormatter is costly to make: one per format and zone, kept.
    static func formatter(_ format: String, _ zone: TimeZone) -> DateFormatter {
        formatterLock.withLock {
            let key = "\(format)|\(zone.identifier)"
            if let f = formatters[key] { return f }
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = zone
            f.dateFormat = format
            formatters[key] = f
            return f
        }
    }
    private static let formatterLock = NSLock()
    nonisolated(unsafe) private static var formatters: [String: DateFormatter] = [:]
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
