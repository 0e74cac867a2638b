import Foundation
import InspectorCore

/// A small line chart as inline SVG (no scripts, prints on paper): one series over time, with
/// its min and max labelled and, when given, the warning limit as a dashed line.
public enum SVGChart {
    public static func line(_ points: [(Date, Double)], title: String, unit: String, limit: Double? = nil,
                            width: Double = 520, height: Double = 150, timeZone: TimeZone = .current) -> String {
        guard points.count >= 2, let t0 = points.first?.0, let t1 = points.last?.0, t1 > t0 else { return "" }
        let values = points.map(\.1) + (limit.map { [$0] } ?? [])
        var lo = values.min()!, hi = values.max()!
        if hi - lo < 1e-9 { lo -= 1; hi += 1 }
        let left = 48.0, right = 10.0, top = 22.0, bottom = 22.0
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ t: Date) -> Double { left + plotW * t.timeIntervalSince(t0) / t1.timeIntervalSince(t0) }
        func y(_ v: Double) -> Double { top + plotH * (1 - (v - lo) / (hi - lo)) }
        let path = points.map { String(format: "%.1f,%.1f", x($0.0), y($0.1)) }.joined(separator: " ")
        let e = htmlEscaped
        let time = ViewModel.formatter(t1.timeIntervalSince(t0) > 86400 ? "MM-dd HH:mm" : "HH:mm", timeZone)
        // Enough decimals that the two labels differ: a nearly flat series must not read "21.5 .. 21.5".
        let decimals = hi - lo >= 10 ? 0 : min(6, max(1, Int((-log10(hi - lo)).rounded(.up)) + 1))
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(e(title))\">"
        svg += "<text x=\"\(left)\" y=\"14\" font-size=\"12\" font-family=\"sans-serif\">\(e(title))</text>"
        svg += String(format: "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#ccc\"/>", left, top, plotW, plotH)
        for v in [hi, lo] {
            svg += String(format: "<text x=\"%.0f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" font-family=\"sans-serif\">", left - 4, y(v) + 3)
                + e("\(String(format: "%.\(decimals)f", v)) \(unit)") + "</text>"
        }
        svg += String(format: "<text x=\"%.0f\" y=\"%.0f\" font-size=\"10\" font-family=\"sans-serif\">%@</text>", left, height - 6, time.string(from: t0))
        svg += String(format: "<text x=\"%.0f\" y=\"%.0f\" font-size=\"10\" text-anchor=\"end\" font-family=\"sans-serif\">%@</text>", width - right, height - 6, time.string(from: t1))
        if let limit {
            svg += String(format: "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#d9822b\" stroke-dasharray=\"4 3\"/>", left, y(limit), width - right, y(limit))
        }
        svg += "<polyline fill=\"none\" stroke=\"#2a6ebb\" stroke-width=\"1.5\" points=\"\(path)\"/></svg>"
        return svg
    }
}
