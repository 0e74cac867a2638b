import Foundation
import InspectorCore

/// `inspect report --kind weekly|monthly|quarterly|halfyear|yearly` (and `health`): the service
/// report managers judge the contract by. First the verdict (availability against the objective,
/// incidents restored in time, respond and restore targets met, MTTR) with arrows against the
/// period before and a year before; then the method, the five worst devices, faults by category,
/// availability, incidents with their timeline, maintenance held, inventory, trends, coverage,
/// and the sign-off block.
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

    public static func render(_ r: ServiceReport, format: ReportFormat, lang: Language, generatedAt: Date, extras: Extras = Extras(),
                              redact: ((String) -> String)? = nil, templates: ReportTemplates = .shipped, timeZone: TimeZone = .current) -> Data {
        let w = Words(lang)
        let h = r.summary
        let stamp = { ViewModel.stamp($0, in: timeZone) }
        // Timeline steps: "12-24 17:31", the year and zone are in the columns beside.
        let short = { (d: Date) -> String in
            var c = Calendar(identifier: .gregorian)
            c.timeZone = timeZone
            let p = c.dateComponents([.month, .day, .hour, .minute], from: d)
            return String(format: "%02d-%02d %02d:%02d", p.month ?? 0, p.day ?? 0, p.hour ?? 0, p.minute ?? 0)
        }
        let pct = { (d: Double?) in d.map { "\(formatNumber($0)) %" } ?? "—" }
        let verdictHeading = w.pick("结论", "Verdict")
        let methodHeading = w.pick("统计口径", "Method")
        let categoryHeading = w.pick("按类别故障率", "Fault rate by category")
        var sections: [Tables.Section] = [
            (verdictHeading, [w.pick("指标", "Measure"), w.pick("本期", "This period"), w.pick("上期", "Previous") + (r.previous.map { " \($0.period)" } ?? ""),
                              w.pick("去年同期", "A year before") + (r.lastYear.map { " \($0.period)" } ?? ""), w.pick("目标", "Target"), w.pick("结论", "Verdict")],
             verdictRows(r, w: w)),
            (w.pick("各级别事件", "Incidents by priority"), [w.severity, w.pick("事件", "Incidents"), w.pick("按时恢复", "Restored in time"), w.pick("未恢复", "Still open")],
             Severity.allCases.map { s in
                 let mine = h.alerts.filter { $0.severity == s }
                 return [s.rawValue, "\(mine.count)", "\(mine.filter { $0.withinSLA == true }.count)", "\(mine.filter { $0.clearedAt == nil }.count)"]
             }),
            (methodHeading, [], []),
            (w.pick("最差的五台设备", "Five worst devices"), [w.device, w.pick("停机（分钟）", "Down (min)"), w.pick("事件", "Incidents"), w.pick("可用率", "Available")],
             h.worst.map { [$0.target, formatNumber(($0.downSeconds / 60 * 10).rounded() / 10), "\($0.incidents)", pct(h.availability[$0.target])] }),
            (categoryHeading,
             [w.pick("类别", "Category"), w.pick("事件", "Incidents"), w.pick("事件占比", "Share"), w.pick("检查次数", "Checks"), w.pick("不正常", "Abnormal"),
              w.pick("故障率", "Fault rate")],
             r.categories.map { c in
                 [w.category(c.category), "\(c.incidents)", h.alerts.isEmpty ? "—" : pct(Double(c.incidents) / Double(h.alerts.count) * 100),
                  "\(c.checks)", "\(c.abnormal)", c.faultRate.map { "\(formatNumber(($0 * 1000).rounded() / 1000)) %" } ?? "—"]
             }),
            (w.pick("可用率", "Availability"), [w.device, w.pick("可用率", "Available"), w.pick("目标", "Target"), w.pick("停机（分钟）", "Down (min)"), w.pick("告警", "Alerts")],
             h.availability.keys.sorted().map { t in
                 [t, pct(h.availability[t].map { ($0 * 1000).rounded() / 1000 }), pct(h.objectives[t]), formatNumber(((h.downSeconds[t] ?? 0) / 60 * 10).rounded() / 10),
                  "\(h.alerts.filter { $0.target == t }.count)"]
             }),
            (w.pick("事件明细", "Incidents"), [w.device, w.card, w.severity, w.pick("发现时间", "Detected"), w.pick("恢复时间", "Cleared"),
                                              w.pick("响应", "Responded"), w.pick("恢复", "Restored"), w.pick("经过", "Timeline")],
             h.alerts.map { a in
                 [a.target, a.card, a.severity.rawValue, stamp(a.detectedAt), a.clearedAt.map(stamp) ?? "—", yesNo(a.respondedInTime, w), yesNo(a.withinSLA, w),
                  a.timeline.map { step in "\(short(step.at)) \(w.step(step.state))" + (step.who.map { " \($0)" } ?? "") }.joined(separator: " → ")]
             }),
            (w.pick("维护窗口", "Maintenance windows held"), [w.pick("设备", "Devices"), w.pick("开始", "From"), w.pick("结束", "To"), w.pick("时长（分钟）", "Minutes"), w.remarks],
             h.maintenance.map { m in [m.target == "*" ? w.pick("全部", "all") : m.target, stamp(m.from), stamp(m.to),
                                       formatNumber((m.to.timeIntervalSince(m.from) / 60).rounded()), m.note ?? ""] }),
        ]
        // A fleet's grouping: only where the targets carry site or room labels.
        if !r.places.isEmpty, let at = sections.firstIndex(where: { $0.heading == categoryHeading }) {
            sections.insert((w.pick("按站点和机房", "By site and room"),
                             [w.pick("站点", "Site"), w.pick("机房", "Room"), w.pick("设备", "Devices"), w.pick("检查次数", "Checks"), w.pick("不正常", "Abnormal"),
                              w.pick("事件", "Incidents"), w.pick("停机（分钟）", "Down (min)"), w.pick("平均可用率", "Mean availability")],
                             r.places.map { p in
                                 [p.site.isEmpty ? "—" : p.site, p.room.isEmpty ? "—" : p.room, "\(p.devices)", "\(p.checks)", "\(p.abnormal)", "\(p.incidents)",
                                  formatNumber((p.downSeconds / 60 * 10).rounded() / 10), pct(p.availability.map { ($0 * 1000).rounded() / 1000 })]
                             }), at: at + 1)
        }
        if !extras.inventory.isEmpty {
            sections.append((w.pick("设备清单", "Inventory"), [w.device, w.pick("型号", "Model"), w.pick("序列号", "Serial"), w.pick("固件", "Firmware"), w.pick("系统", "System")],
                             extras.inventory.keys.sorted().map { t in
                                 let i = extras.inventory[t]!
                                 // System: a host's OS and kernel, a device's own description.
                                 let system = [i["os"], i["kernel"]].compactMap { $0 }.joined(separator: ", ")
                                 return [t, i["model"] ?? "—", i["serial"] ?? "—", i["firmware"] ?? "—",
                                         system.isEmpty ? i["sysDescr"].map { String($0.prefix(60)) } ?? "—" : system]
                             }))
        }
        let byCard = Dictionary(grouping: h.alerts, by: \.card).mapValues(\.count)
        let recommendations = byCard.keys.sorted { (byCard[$1]!, $0) < (byCard[$0]!, $1) }.compactMap { c in extras.remedies[c].map { [c, "\(byCard[c]!)", $0] } }
        if !recommendations.isEmpty {
            sections.append((w.pick("处理建议", "Recommendations"), [w.card, w.pick("告警", "Alerts"), w.pick("建议", "What to do")], recommendations))
        }
        var tables = Tables(lang: lang, title: w.reportTitle(h.kind, period: h.period),
                            lines: [w.pick("统计期间：", "Period: ") + "\(stamp(h.from)) – \(stamp(h.to))", headline(r, w: w)],
                            sections: sections, counts: Tables.counts(extras.cards), coverage: Tables.coverage(extras.cards, lang: lang))
        tables.notes[methodHeading] = method(r, w: w)
        tables.signers = [w.pick("编制", "Prepared by"), w.reviewer, w.customer]
        tables.signWords = (w.signature, w.signDate)
        tables.redact = redact
        if format == .html && redact == nil {   // chart titles name devices: left out of redacted copies
            tables.charts = extras.trends.prefix(DailyReport.maxCharts).map { SVGChart.line($0.points, title: $0.title, unit: $0.unit, timeZone: timeZone) }.filter { !$0.isEmpty }
        }
        return tables.render(format, json: r.document(generatedAt: generatedAt), templates: templates)
    }

    static func yesNo(_ v: Bool?, _ w: Words) -> String { v.map { $0 ? w.pick("达标", "met") : w.pick("超时", "missed") } ?? "—" }

    /// "可用率 99.95 %，事件 3，响应达成率 100 %，恢复达成率 66.7 %".
    public static func headline(_ r: ServiceReport, w: Words) -> String {
        let f = r.summary.figures
        let p = { (d: Double?) in d.map { "\(formatNumber(($0 * 100).rounded() / 100)) %" } ?? "—" }
        return w.pick("可用率 \(p(f.availability))，事件 \(f.incidents)，响应达成率 \(p(f.respondPercent))，恢复达成率 \(p(f.restorePercent))",
                      "Availability \(p(f.availability)), \(f.incidents) incidents, respond target met \(p(f.respondPercent)), restore target met \(p(f.restorePercent))")
    }

    static func verdictRows(_ r: ServiceReport, w: Words) -> [[String]] {
        let f = r.summary.figures
        let prev = r.previous?.figures, last = r.lastYear?.figures
        let pct = { (d: Double?) in d.map { "\(formatNumber(($0 * 1000).rounded() / 1000)) %" } ?? "—" }
        let hours = { (d: Double?) in d.map { "\(formatNumber(($0 * 100).rounded() / 100)) h" } ?? "—" }
        // The value's direction, and whether that is better or worse.
        func arrow(_ now: Double?, _ before: Double?, higherIsBetter: Bool) -> String {
            guard let now, let before else { return "" }
            if abs(now - before) < 1e-9 { return " →" }
            return (now > before ? " ↑" : " ↓") + ((now > before) == higherIsBetter ? w.pick("好转", " better") : w.pick("变差", " worse"))
        }
        let met = r.availabilityMet.map { $0 ? w.pick("达标", "met") : w.pick("未达标", "missed") } ?? "—"
        let incidents = { (x: HealthSummary.Figures?) in x.map { "\($0.incidents)" } ?? "—" }
        return [
            [w.pick("可用率", "Availability"), pct(f.availability) + arrow(f.availability, prev?.availability, higherIsBetter: true),
             pct(prev?.availability), pct(last?.availability), "≥ \(formatNumber(r.objective)) %", met],
            [w.pick("事件数", "Incidents"), "\(f.incidents)" + arrow(prev.map { _ in Double(f.incidents) }, prev.map { Double($0.incidents) }, higherIsBetter: false),
             incidents(prev), incidents(last), "—", "—"],
            [w.pick("响应达成率", "Respond target met"), pct(f.respondPercent) + arrow(f.respondPercent, prev?.respondPercent, higherIsBetter: true),
             pct(prev?.respondPercent), pct(last?.respondPercent), "100 %", f.respondPercent.map { $0 >= 100 ? w.pick("达标", "met") : w.pick("未达标", "missed") } ?? "—"],
            [w.pick("恢复达成率", "Restore target met"), pct(f.restorePercent) + arrow(f.restorePercent, prev?.restorePercent, higherIsBetter: true),
             pct(prev?.restorePercent), pct(last?.restorePercent), "100 %", f.restorePercent.map { $0 >= 100 ? w.pick("达标", "met") : w.pick("未达标", "missed") } ?? "—"],
            [w.pick("平均恢复时间（MTTR）", "Mean time to restore (MTTR)"), hours(f.mttrHours) + arrow(f.mttrHours, prev?.mttrHours, higherIsBetter: false),
             hours(prev?.mttrHours), hours(last?.mttrHours), "—", "—"],
        ]
    }

    static func method(_ r: ServiceReport, w: Words) -> String {
        let hours = r.hours.map { "\($0.0) \(w.serviceHours($0.1))" }.joined(separator: w.pick("；", "; "))
        return w.pick("停机口径：设备无法访问（REACH）、HTTP 不可用（WEB-001）、主机重启（上次采样至启动时刻）。维护窗口内的停机不计入，另列于“维护窗口”。"
                      + "可用率与响应、恢复时限均按合同服务时间计算：\(hours)。事件是守护进程（inspect run）确认后发出的告警；"
                      + "单次巡检的不正常项计入检查次数与故障率，不计为事件。箭头为与上期相比的升降。",
                      "Down means: the device did not answer (REACH), the HTTP endpoint was down (WEB-001), or the host rebooted (last sample to boot). "
                      + "Downtime within maintenance windows is excluded and listed under the windows held. Availability and the respond and restore "
                      + "targets count the contract's service hours: \(hours). Incidents are the alerts the daemon (inspect run) confirmed; "
                      + "abnormal items of single inspections count in the checks and the fault rate, not as incidents. Arrows compare with the previous period.")
    }
}

extension Words {
    /// 日报, 周报, 月报（月度巡检报告）, 季报, 半年报, 年报, with the period in the form's way.
    public func reportTitle(_ kind: String, period: String) -> String {
        let parts = period.split(separator: "-").map(String.init)
        let year = parts.first ?? period
        switch ReportKind(rawValue: kind) ?? ReportKind(period: period) ?? .monthly {
        case .daily: return periodTitle(period)
        case .weekly: return pick("周报 \(year)年第\(Int(parts.last?.dropFirst() ?? "") ?? 0)周", "Weekly report \(period)")
        case .monthly: return pick("月报（月度巡检报告）\(year)年\(Int(parts.last ?? "") ?? 0)月", "Monthly report \(period)")
        case .quarterly: return pick("季报 \(year)年第\(parts.last?.dropFirst() ?? "")季度", "Quarterly report \(period)")
        case .halfyear: return pick(parts.last == "H1" ? "半年报 \(year)年上半年" : "半年报 \(year)年下半年", "Half-year report \(period)")
        case .yearly: return pick("年报 \(year)年", "Annual report \(period)")
        }
    }

    public func category(_ c: CardCategory) -> String {
        switch c {
        case .network: pick("网络", "Network")
        case .hardware: pick("硬件", "Hardware")
        case .software: pick("软件", "Software")
        case .environment: pick("环境", "Environment")
        case .power: pick("电源", "Power")
        case .security: pick("安全", "Security")
        case .other: pick("其它", "Other")
        }
    }

    /// A step of an incident's timeline.
    public func step(_ s: AlertEvent.State) -> String {
        switch s {
        case .raised: pick("告警", "raised")
        case .updated: pick("级别变化", "changed")
        case .flapping: pick("抖动", "flapping")
        case .acknowledged: pick("响应", "acknowledged by")
        case .escalated: pick("升级至", "escalated to")
        case .cleared: pick("恢复", "cleared")
        }
    }

    /// "24x7" as 全天候 (7×24 小时), "Mon,Tue 09:00-18:00" with weekdays in Chinese.
    public func serviceHours(_ summary: String) -> String {
        guard lang == .zh else { return summary }
        if summary == "24x7" { return "7×24 小时" }
        var text = summary
        for (en, zh) in [("Mon", "周一"), ("Tue", "周二"), ("Wed", "周三"), ("Thu", "周四"), ("Fri", "周五"), ("Sat", "周六"), ("Sun", "周日")] {
            text = text.replacingOccurrences(of: en, with: zh)
        }
        return text.replacingOccurrences(of: ",", with: "、")
    }
}
