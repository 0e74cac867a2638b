import InspectorCore

/// The report vocabulary in both languages; zh uses the words of the users' paper forms.
public struct Words: Sendable {
    public let lang: Language

    public init(_ lang: Language) { self.lang = lang }

    public func pick(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }

    public var title: String { pick("巡检报告", "Inspection report") }

    /// "巡检报告 host：不正常 2，未知 1": an inspection report mail's subject.
    public func mailSubject(host: String, abnormal: Int, unknown: Int) -> String {
        pick("\(title) \(host)：不正常 \(abnormal)，未知 \(unknown)", "\(title) \(host): \(abnormal) abnormal, \(unknown) unknown")
    }
    public var dailyReport: String { pick("日报", "Daily report") }

    /// The summary's title by the length of its period: 日报 for a day, 月度汇总 for a month
    /// ("2026-11"), 季度汇总 for a quarter ("2026-Q4").
    public func periodTitle(_ period: String) -> String {
        let parts = period.split(separator: "-")
        if parts.count == 2, parts[1].hasPrefix("Q") {
            return pick("季度汇总 \(parts[0])年第\(parts[1].dropFirst())季度", "Quarterly summary \(period)")
        }
        if parts.count == 2, let m = Int(parts[1]) { return pick("月度汇总 \(parts[0])年\(m)月", "Monthly summary \(period)") }
        if parts.count == 3, let m = Int(parts[1]), let d = Int(parts[2]) { return pick("日报 \(parts[0])年\(m)月\(d)日", "Daily report \(period)") }
        return "\(dailyReport) \(period)"
    }
    public var card: String { pick("编号", "Card") }
    public var device: String { pick("设备名称", "Device") }
    public var item: String { pick("检查项目", "Item") }
    public var command: String { pick("检查命令", "Source") }
    public var expected: String { pick("检查期待结果", "Expected") }
    public var measured: String { pick("实测值", "Measured") }
    public var result: String { pick("检查结果", "Result") }
    public var remarks: String { pick("备注", "Remarks") }
    public var severity: String { pick("故障级别", "Priority") }

    /// The P-levels with their restore times, under the tables that show them.
    public var severityLegend: String {
        Severity.allCases.map { s in
            let within = s.restoreWithinHours.map { pick("\($0)小时内恢复", "restore within \($0) h") } ?? pick("非故障，记录备查", "not a fault, recorded")
            return "\(s.rawValue) \(within)"
        }.joined(separator: pick("；", "; "))
    }
    public var summary: String { pick("概要", "Summary") }
    public var coverage: String { pick("覆盖率", "Coverage") }
    public var notVerified: String { pick("未能核实的项目", "Not verified") }
    public var notApplicable: String { pick("不适用", "not applicable") }
    /// The one text-report row that stands for a device's normal ports of one card.
    public func portsNormal(_ count: Int) -> String { pick("其余 \(count) 个端口", "\(count) other ports") }
    public var normal: String { pick("正常", "normal") }
    public func ports(_ count: Int) -> String { pick("\(count) 个端口", "\(count) ports") }
    public var abnormalItems: String { pick("不正常项目", "Abnormal items") }
    public var remedy: String { pick("处理建议", "What to do") }
    public var host: String { pick("巡检主机", "Inspected from") }
    public var started: String { pick("开始时间", "Started") }
    public var duration: String { pick("耗时", "Duration") }
    public var devices: String { pick("设备数", "Devices") }
    public var cardsChecked: String { pick("检查项", "Items checked") }

    public func status(_ s: FindingStatus) -> String {
        switch s {
        case .normal: pick("正常", "normal")
        case .abnormal: pick("不正常", "abnormal")
        case .unknown: pick("未知", "unknown")
        }
    }

    public func level(_ l: Level) -> String {
        switch l {
        case .ok: pick("正常", "OK")
        case .warning: pick("警告", "WARNING")
        case .critical: pick("严重", "CRITICAL")
        case .unknown: pick("未知", "UNKNOWN")
        }
    }

    /// "不正常（警告）" / "abnormal (WARNING)": the result column.
    /// A state as read ("notPresent") in the report's words ("不在位"); unknown codes as read.
    /// A state with its detail ("failed: Result=exit-code", "down: connect: refused") keeps the
    /// detail as read and words the state.
    public func state(_ code: String) -> String { Vocabulary.stateWords(code).text(lang) }

    public func result(_ f: Finding) -> String {
        // A manual item nobody filled in is 未检查 on the form, not "unknown".
        if f.status == .unknown, f.sources == ["manual"] { return pick("未检查", "not checked") }
        return switch f.status {
        // 告警等级 (warning/critical) is named, so that it is never taken for the 故障级别 (P1-P4).
        case .abnormal: lang == .zh ? "\(status(.abnormal))（告警等级：\(level(f.level))）" : "\(status(.abnormal)) (\(level(f.level)))"
        default: status(f.status)
        }
    }

    func stat(_ s: String) -> String {
        switch s {
        case "avg": pick("平均", "avg")
        case "max": pick("最大", "max")
        case "min": pick("最小", "min")
        case "rate_per_hour": pick("每小时变化", "per hour")
        default: ""
        }
    }

    /// A statistic's window: "(1 h)", "(30 min)" / "（1小时）".
    func span(_ seconds: Double) -> String {
        let hours = seconds / 3600
        if hours >= 1, hours == hours.rounded() { return pick("（\(formatNumber(hours))小时）", "(\(formatNumber(hours)) h)") }
        return pick("（\(formatNumber(seconds / 60))分钟）", "(\(formatNumber(seconds / 60)) min)")
    }

    /// "不超过 80" + "%" -> "不超过 80 %"; a unit that is a word in its language ("msgs" -> 条).
    func range(_ text: String, _ unit: String) -> String { unit.isEmpty ? text : "\(text) \(Vocabulary.unit(unit).text(lang))" }

    /// The normal range in words of this language ("15~32", "不超过 70", "不在 10~20").
    func normal(_ r: NagiosRange) -> String { r.words.text(lang) }

    /// When the range alerts, in words of this language ("超过 90", "超出 15~32").
    func alert(_ r: NagiosRange) -> String { r.alertWords.text(lang) }

    /// Short names of metrics, for findings that carry several.
    func metric(_ m: String) -> String {
        if let n = Words.metricNames[m] { return pick(n.0, n.1) }
        // Else the catalogue's title (Config/metrics.yaml), in this language.
        if let title = MetricCatalogue.shipped.metrics[m]?.title { return title.text(lang) }
        // "ups.battery_charge" -> "battery charge"; "temperature.celsius" -> "temperature".
        let parts = m.split(separator: ".")
        let name = parts.count > 1 && !["celsius", "percent", "rpm", "state", "volts"].contains(String(parts[1])) ? parts[1] : parts[0]
        return name.replacingOccurrences(of: "_", with: " ")
    }

    /// A metric's name standing alone (a table of series), where the short name leans on its card.
    func metricAlone(_ m: String) -> String {
        if let n = Words.standaloneNames[m] { return pick(n.0, n.1) }
        return metric(m)
    }

    static let standaloneNames: [String: (String, String)] = [
        "fs.used_percent": ("文件系统空间", "filesystem space"), "fs.inodes_used_percent": ("文件系统inode", "filesystem inodes"),
        "log.errors": ("日志错误数", "log errors"), "log.critical": ("日志严重错误数", "log critical messages"),
        "memory.used_percent": ("内存使用率", "memory used"), "swap.used_percent": ("交换空间使用率", "swap used"),
    ]

    static let metricNames: [String: (String, String)] = [
        "fs.used_percent": ("空间", "space"), "fs.inodes_used_percent": ("inode", "inodes"),
        "log.errors": ("错误", "err"), "log.critical": ("严重", "crit+"),
        "memory.used_percent": ("内存", "memory"), "swap.used_percent": ("交换", "swap"), "cpu.utilisation": ("CPU利用率", "CPU"),
        "ups.input_voltage": ("输入电压", "input voltage"), "ups.output_voltage": ("输出电压", "output voltage"),
        "ups.input_frequency": ("输入频率", "input frequency"), "ups.battery_status": ("电池状态", "battery status"),
        "ups.battery_charge": ("电池容量", "battery charge"), "ups.runtime_minutes": ("后备时间", "runtime"),
        "ups.alarms_present": ("告警数", "alarms present"), "ups.alarm": ("告警", "alarm"),
        "rate_per_hour": ("每小时变化", "change per hour"), "temperature.celsius": ("温度", "temperature"),
        "temperature.state": ("温度状态", "temperature state"), "fan.state": ("风扇", "fan"), "psu.state": ("电源", "PSU"),
        "fan.rpm": ("风扇转速", "fan speed"), "http.certificate_days": ("证书剩余天数", "certificate days"), "http.tls": ("TLS", "TLS"),
        "ups.output_load": ("输出负载", "output load"),
        "ups.output_source": ("输出来源", "output source"), "ups.battery_temperature": ("电池温度", "battery temperature"),
        "ups.battery_voltage": ("电池电压", "battery voltage"), "ups.seconds_on_battery": ("电池供电时长", "time on battery"),
        "ups.self_test": ("自检结果", "self-test"), "humidity.percent": ("湿度", "humidity"), "contact.state": ("触点状态", "contact"),
        "load.per_core": ("每核负载", "load per core"), "http.response_seconds": ("响应时间", "response time"),
        "http.availability": ("可用性", "availability"), "http.content": ("内容", "content"), "uptime.reboot": ("重启", "reboot"),
        "mount.mode": ("挂载模式", "mount mode"), "process.required": ("必需进程", "required processes"),
        "process.forbidden": ("禁止进程", "forbidden processes"),
    ]

    func source(_ s: LimitSource) -> String {
        switch s {
        case .card: pick("检查卡", "card")
        case .target: pick("现场设定", "site setting")
        case .device: pick("设备自身阈值", "device's own threshold")
        }
    }
}

/// Cell texts shared by every renderer.
public struct Cells: Sendable {
    public let words: Words
    public init(_ lang: Language) { words = Words(lang) }

    public func measured(_ f: Finding) -> String {
        let labelled = f.measured.count > 1
        return f.measured.map { m in
            let prefix = labelled ? words.metric(m.metric) + " " : ""
            if let text = m.text { return prefix + words.state(text) }
            guard let current = m.current else { return prefix + "—" }
            if let avg = m.avg, let max = m.max {
                return prefix + "\(words.stat("avg")) \(withUnit(avg, m.unit)) / \(words.stat("max")) \(withUnit(max, m.unit))"
            }
            return prefix + withUnit(current, m.unit)
        }.joined(separator: words.pick("；", "; "))
    }

    /// The normal range of each check ("avg <= 50 %"), with the critical limit when there is one.
    public func expected(_ f: Finding) -> String {
        if let text = f.expected { return text.text(words.lang) }
        let units = Dictionary(f.measured.map { ($0.metric, $0.unit) }, uniquingKeysWith: { a, _ in a })
        let labelled = Set(f.limits.map(\.metric)).count > 1
        return f.limits.map { limit in
            var prefix = labelled ? words.metric(limit.metric) + " " : ""
            if !words.stat(limit.stat).isEmpty { prefix += words.stat(limit.stat) + (limit.window.map { words.pick("", " ") + words.span($0) } ?? "") + " " }
            if let states = limit.okStates { return prefix + states.map(words.state).joined(separator: " / ") }
            let unit = units[limit.metric] ?? ""
            let warning = limit.warning.flatMap { try? NagiosRange.parse($0) }
            let critical = limit.critical.flatMap { try? NagiosRange.parse($0) }
            var text = prefix + ((warning ?? critical).map { words.range(words.normal($0), unit) } ?? "")
            if warning != nil, let critical {
                text += words.pick("（严重：", " (critical ") + words.range(words.alert(critical), unit) + words.pick("）", ")")
            }
            if limit.source != .card { text += words.pick("［", " [") + words.source(limit.source) + words.pick("］", "]") }
            return text
        }.joined(separator: words.pick("；", "; "))
    }

    func withUnit(_ v: Double, _ unit: String) -> String { words.range(formatNumber(v), unit) }

    public func remarks(_ f: Finding) -> String {
        let colon = words.pick("：", ": ")
        var parts: [String] = []
        if let reason = f.reason { parts.append(reason.text(words.lang)) }
        if f.status == .abnormal, let remedy = f.remedy { parts.append("\(words.remedy)\(colon)\(remedy.text(words.lang))") }
        return parts.joined(separator: " ")
    }

    public func source(_ f: Finding) -> String {
        if let command = f.sourceWords { return command.text(words.lang) }
        return f.sources.map { $0 == "manual" ? words.pick("人工检查", "manual check") : $0 }.joined(separator: ", ")
    }
}
