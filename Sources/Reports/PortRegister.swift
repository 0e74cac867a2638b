import Foundation
import InspectorCore

/// The port register of one device (端口登记表), as the customer's network inspection keeps
/// one: every port with its description, state, errors, utilisation and last change, drawn from
/// the findings of the cards that judge `port.*` metrics. Counts first, so that a 48-port access
/// switch reads at a glance.
public struct PortRegister: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var instance: String
        public var name: String
        public var alias: String?
        /// up, down, adminDown, expectedDown... (port.status).
        public var status: String?
        public var errorsPerMinute: Double?
        public var inUtilisation: Double?
        public var outUtilisation: Double?
        /// Seconds since the port last changed state.
        public var lastChangeAge: Double?
        /// The worst verdict of the port's cards.
        public var level: Level = .ok
        /// Why it is abnormal or unknown, in the report's language, one per card.
        public var reasons: [String] = []
    }

    public struct Counts: Sendable, Equatable {
        public var ports = 0, up = 0, down = 0, adminDown = 0, expectedDown = 0, abnormal = 0, unknown = 0
    }

    public var target: String
    public var rows: [Row]

    public var counts: Counts {
        var c = Counts()
        c.ports = rows.count
        for r in rows {
            switch r.status {
            case "up": c.up += 1
            case "adminDown": c.adminDown += 1
            case "expectedDown": c.expectedDown += 1
            case nil: break
            default: c.down += 1
            }
            if r.level == .unknown { c.unknown += 1 } else if r.level > .ok { c.abnormal += 1 }
        }
        return c
    }

    /// One register per device that has port findings, in the report's device order.
    public static func registers(_ report: InspectionReport, lang: Language) -> [PortRegister] {
        let portFindings = report.findings.filter { f in f.measured.contains { $0.metric.hasPrefix("port.") } }
        let byTarget = Dictionary(grouping: portFindings, by: \.target)
        return report.targets.compactMap { t in
            guard let findings = byTarget[t.id] else { return nil }
            var rows: [String: Row] = [:]
            for f in findings {
                var row = rows[f.instance] ?? Row(instance: f.instance, name: f.instanceLabel ?? f.instance)
                row.alias = row.alias ?? f.alias
                for m in f.measured {
                    switch m.metric {
                    case "port.status": row.status = m.text
                    case "port.errors_per_minute": row.errorsPerMinute = m.current
                    case "port.in_utilisation": row.inUtilisation = m.current
                    case "port.out_utilisation": row.outUtilisation = m.current
                    case "port.last_change_age": row.lastChangeAge = m.current
                    default: break
                    }
                }
                row.level = max(row.level, f.level)
                if f.level > .ok, let reason = f.reason { row.reasons.append("\(f.card): \(reason.text(lang))") }
                rows[f.instance] = row
            }
            return PortRegister(target: t.id, rows: rows.values.sorted { portOrder($0.instance) < portOrder($1.instance) })
        }
    }

    /// "port 10102" by its index, then by name.
    static func portOrder(_ instance: String) -> (Int, String) {
        (Int(instance.split(separator: " ").last ?? "") ?? Int.max, instance)
    }
}

extension Words {
    public var portRegister: String { pick("端口登记表", "Port register") }
    public var port: String { pick("端口", "Port") }
    public var portAlias: String { pick("描述", "Description") }
    public var portStatus: String { pick("状态", "State") }
    public var portErrors: String { pick("错包与丢包（每分钟）", "Errors + discards /min") }
    public var portIn: String { pick("入利用率", "In") }
    public var portOut: String { pick("出利用率", "Out") }
    public var portLastChange: String { pick("上次状态变化", "Last change") }

    /// "48 个端口：在用 12，未连接 30（不正常 2），管理关闭 5，预期关闭 1".
    public func portCounts(_ c: PortRegister.Counts) -> String {
        var parts = [pick("在用 \(c.up)", "\(c.up) up"), pick("未连接 \(c.down)", "\(c.down) down"),
                     pick("管理关闭 \(c.adminDown)", "\(c.adminDown) admin down")]
        if c.expectedDown > 0 { parts.append(pick("预期关闭 \(c.expectedDown)", "\(c.expectedDown) expected down")) }
        parts.append(pick("不正常 \(c.abnormal)", "\(c.abnormal) abnormal"))
        if c.unknown > 0 { parts.append(pick("未知 \(c.unknown)", "\(c.unknown) unknown")) }
        return "\(ports(c.ports))\(pick("：", ": "))\(parts.joined(separator: pick("，", ", ")))"
    }

    /// A port state in the register's words.
    public func portState(_ code: String?) -> String { code.map(state) ?? "" }

    /// "3 d 4 h ago", "3天4小时前"; under a minute in seconds.
    public func ago(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let (d, h, m) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60)
        let zh = d > 0 ? "\(d)天\(h)小时前" : h > 0 ? "\(h)小时\(m)分钟前" : m > 0 ? "\(m)分钟前" : "\(s)秒前"
        let en = d > 0 ? "\(d) d \(h) h ago" : h > 0 ? "\(h) h \(m) min ago" : m > 0 ? "\(m) min ago" : "\(s) s ago"
        return pick(zh, en)
    }
}

/// The register as the templates draw it.
enum PortRegisterView {
    static func make(_ registers: [PortRegister], words w: Words) -> [[String: Any]] {
        func percent(_ v: Double?) -> String { v.map { "\(formatNumber(($0 * 10).rounded() / 10)) %" } ?? "" }
        return registers.map { r in
            let rows: [[String: Any]] = r.rows.map { row in
                ["port": row.name, "instance": row.instance, "alias": row.alias ?? "", "state": w.portState(row.status),
                 "status": row.status ?? "", "errors": row.errorsPerMinute.map { formatNumber(($0 * 10).rounded() / 10) } ?? "",
                 "in": percent(row.inUtilisation), "out": percent(row.outUtilisation),
                 "lastChange": row.lastChangeAge.map(w.ago) ?? "", "lastChangeSeconds": row.lastChangeAge.map { formatNumber($0.rounded()) } ?? "",
                 "level": row.level.rawValue, "result": row.level == .ok ? w.status(.normal) : w.level(row.level),
                 "abnormal": row.level > .ok && row.level != .unknown, "reasons": row.reasons.joined(separator: w.pick("；", "; "))]
            }
            return ["device": r.target, "summary": w.portCounts(r.counts), "rows": rows]
        }
    }

    static func header(_ w: Words) -> [String: String] {
        ["device": w.device, "port": w.port, "alias": w.portAlias, "state": w.portStatus, "errors": w.portErrors,
         "in": w.portIn, "out": w.portOut, "lastChange": w.portLastChange, "result": w.result, "remarks": w.remarks,
         "title": w.portRegister]
    }
}
