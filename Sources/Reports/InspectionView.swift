import Foundation
import InspectorCore

/// The view of one inspection run that the `inspection.*` templates draw.
enum InspectionView {
    static let ansi: [Level: String] = [.critical: "31", .warning: "33", .unknown: "35"]

    /// The text report keeps a 48-port switch readable: of each port card, the abnormal and
    /// unknown ports are rows of their own and the normal ones one row with their count. The
    /// HTML, CSV and JSON reports keep every port.
    static func foldingNormalPorts(_ rows: [[String: Any]], words w: Words) -> [[String: Any]] {
        var out: [[String: Any]] = []
        var folded: [String: Int] = [:]
        for row in rows {
            let card = row["card"] as? String ?? ""
            guard row["port"] as? Bool == true, row["status"] as? String == FindingStatus.normal.rawValue else { out.append(row); continue }
            let key = "\(row["target"] as? String ?? "")|\(card)"
            if let at = folded[key] {
                let count = (out[at]["count"] as? Int ?? 1) + 1
                out[at]["count"] = count
                out[at]["item"] = "\(row["title"] as? String ?? "") \(w.portsNormal(count))"
                out[at]["instance"] = "*"
            } else {
                folded[key] = out.count
                var first = row
                first["measured"] = ""
                out.append(first)
            }
        }
        return out
    }

    /// Many ports of one switch abnormal for the same reason (unused access ports left admin up)
    /// are one item that names them all, not one copy of the same remedy per port. The card table
    /// above still has a row per port.
    static func foldingAbnormalPorts(_ items: [[String: Any]], words w: Words) -> [[String: Any]] {
        var out: [[String: Any]] = []
        var members: [[[String: Any]]] = []
        var at: [String: Int] = [:]
        for item in items {
            let card = item["card"] as? String ?? ""
            let key = "\(item["target"] as? String ?? "")|\(card)|\(item["level"] as? String ?? "")"
            let port = item["port"] as? Bool == true
            guard port, let i = at[key] else {
                if port { at[key] = out.count }
                out.append(item)
                members.append([item])
                continue
            }
            members[i].append(item)
        }
        for (i, group) in members.enumerated() where group.count > 1 {
            // One reason for all ("state is down"), or each port with its own figure.
            let sameReason = Set(group.map { $0["reason"] as? String ?? "" }).count == 1
            let names = group.map { m in
                let label = m["label"] as? String ?? ""
                return sameReason ? label : "\(label) (\(m["measured"] as? String ?? ""))"
            }
            let shown = names.prefix(30).joined(separator: ", ") + (names.count > 30 ? " …" : "")
            out[i]["item"] = "\(out[i]["title"] as? String ?? "") \(w.ports(names.count))"
            out[i]["reason"] = sameReason ? "\(out[i]["reason"] as? String ?? "") — \(shown)" : shown
            if !sameReason { out[i]["measured"] = "" }   // each port's figure is in the list
        }
        return out
    }

    static func make(_ report: InspectionReport, lang: Language, text: Bool, colour: Bool, timeZone: TimeZone) -> [String: Any] {
        let cells = Cells(lang)
        let w = cells.words
        let roomOf = Dictionary(report.targets.map { ($0.id, $0.room ?? "") }, uniquingKeysWith: { a, _ in a })
        func finding(_ f: Finding) -> [String: Any] {
            var v: [String: Any] = [
                "card": f.card, "target": f.target, "instance": f.instance, "item": f.item(lang), "source": cells.source(f),
                "expected": cells.expected(f), "measured": cells.measured(f), "result": w.result(f),
                "status": f.status.rawValue, "level": f.level.rawValue, "severity": f.severity.rawValue,
                "limitSource": f.limitSource.rawValue, "reason": f.reason?.text(lang) ?? "", "remarks": cells.remarks(f),
                // The same codes in the report's words (CSV for Excel is read by people).
                "statusWords": w.status(f.status), "instanceWords": Vocabulary.label(f.instanceLabel ?? f.instance, lang), "levelWords": f.level == .ok ? "" : w.level(f.level), "limitSourceWords": w.source(f.limitSource),
                "evidence": f.evidence.prefix(5).map { $0.text(lang) }, "abnormal": f.status == .abnormal, "unknown": f.status == .unknown,
                "room": roomOf[f.target] ?? "", "title": f.title.text(lang), "label": f.instanceLabel ?? f.instance,
                // A port's finding (a card judging port.* metrics): folded in text, listed in the register.
                "port": f.measured.contains { $0.metric.hasPrefix("port.") },
            ]
            if f.status == .abnormal, let remedy = f.remedy { v["remedy"] = remedy.text(lang) }
            // A device that does not answer is UNKNOWN (no verdict on what was not read), and on
            // the record it is also an abnormal item: 设备无法访问.
            if f.card == Evaluator.reachability.id, f.level == .unknown {
                v["unreachable"] = true
                v["result"] = w.pick("不正常（设备无法访问）", "abnormal (device unreachable)")
                v["remedy"] = f.remedy?.text(lang)
            }
            if colour, let code = ansi[f.level] { v["colourOn"] = "\u{1B}[\(code)m"; v["colourOff"] = "\u{1B}[0m" }
            return v
        }
        // Rows of the device's forms that do not apply to it, marked as the paper form marks them.
        let notApplicable: [[String: Any]] = report.notApplicable.map { n in
            ["card": n.card, "target": n.target, "instance": "", "item": n.title.text(lang), "source": n.commandWords?.text(lang) ?? n.command ?? "",
             "expected": "", "measured": "", "result": w.notApplicable, "status": "not_applicable", "level": "", "severity": "",
             "limitSource": "", "reason": "", "remarks": "", "evidence": [String](), "abnormal": false, "unknown": false,
             "notApplicable": true, "room": roomOf[n.target] ?? ""]
        }
        let rows = report.findings.map(finding)   // judged findings, in `worstFirstOrder`'s indices
        var findings = (text ? Self.foldingNormalPorts(rows, words: w) : rows) + notApplicable
        // Worst first, every judged finding: custom templates list them all, also in text.
        var worstFirst = report.worstFirstOrder.map { rows[$0] }
        var header: [String: Any] = ["card": w.card, "target": w.device, "item": w.item, "source": w.command, "severity": w.severity,
                                     "instance": w.pick("检查对象", "Instance"), "status": w.pick("状态", "Status"),
                                     "level": w.pick("告警等级", "Alert level"), "limitSource": w.pick("标准来源", "Limit from"),
                                     "expected": w.expected, "measured": w.measured, "result": w.result, "remarks": w.remarks]
        if text {
            // Padded together, so that both lists share the column widths.
            var both = findings + worstFirst
            ViewModel.padColumns(&both, header: &header, columns: [("card", 12), ("target", 24), ("item", 38), ("severity", 8), ("measured", 34),
                                                                    ("expected", 40), ("result", 24)])
            worstFirst = Array(both[findings.count...])
            findings = Array(both[..<findings.count])
        }
        // The card table grouped by room (label `room`, else `location`) and device, as on the paper
        // rounds; devices without a room come last, under no heading.
        let byDevice = Dictionary(grouping: findings) { $0["target"] as? String ?? "" }
        let roomNames = Array(Set(report.targets.map { roomOf[$0.id] ?? "" })).sorted { ($0.isEmpty ? 1 : 0, $0) < ($1.isEmpty ? 1 : 0, $1) }
        let rooms: [[String: Any]] = roomNames.map { room in
            let devices: [[String: Any]] = report.targets.filter { roomOf[$0.id] == room }.map { t in
                let mine = byDevice[t.id] ?? []
                return ["device": t.id, "kind": t.kind.rawValue, "findings": mine,
                        "abnormal": mine.filter { $0["abnormal"] as? Bool == true }.count]
            }
            return ["room": room, "named": !room.isEmpty, "devices": devices]
        }
        let findingsOf = Dictionary(grouping: report.findings, by: \.target)
        let coverage = report.targets.map { t in
            let mine = findingsOf[t.id] ?? []
            let unknown = mine.filter { $0.status == .unknown }
            // A device that did not answer says why; otherwise the cards that reached no verdict
            // (their reasons are in the "not verified" list).
            let why = t.failureWords?.text(lang) ?? t.failure ?? Array(Set(unknown.map(\.card))).sorted().joined(separator: ", ")
            return ViewModel.CoverageRow(device: t.id, checked: mine.count, unknown: unknown.count, why: why)
        }
        // Rooms carry the round's manual room items; they are not devices.
        let devices = report.targets.filter { $0.kind != .room }.count
        let registers = PortRegisterView.make(PortRegister.registers(report, lang: lang), words: w)
        let backups = BackupRecords.rows(report, words: w, timeZone: timeZone)
        return [
            "backups": backups, "hasBackups": !backups.isEmpty, "backupHeader": BackupRecords.header(w),
            "registers": registers, "hasRegisters": !registers.isEmpty, "registerHeader": PortRegisterView.header(w),
            "record": RecordView.make(report, words: w, timeZone: timeZone),
            "lang": ViewModel.htmlLang(lang), "zh": lang == .zh,
            "title": w.title, "host": report.run.host, "runId": report.run.id,
            "started": ViewModel.stamp(report.run.startedAt, in: timeZone), "duration": formatNumber(report.run.duration),
            "words": ["started": w.started, "duration": w.duration, "abnormalItems": w.abnormalItems, "notVerified": w.notVerified,
                      "remedy": w.remedy, "summary": w.summary, "severity": w.severity, "coverage": w.coverage,
                      "severityLegend": w.severityLegend,
                      "devices": w.devices, "cardsChecked": w.cardsChecked, "normal": w.status(.normal),
                      "abnormal": w.status(.abnormal), "unknown": w.status(.unknown), "room": lang == .zh ? "机房" : "Room",
                      "allItems": lang == .zh ? "全部检查项目" : "All items",
                      // Punctuation of the language: full-width in Chinese.
                      "colon": lang == .zh ? "：" : ": ", "comma": lang == .zh ? "，" : ", ", "semicolon": lang == .zh ? "；" : "; "],
            "header": header,
            "findings": findings,
            "worstFirst": worstFirst,
            "abnormalItems": Self.foldingAbnormalPorts(worstFirst.filter { $0["abnormal"] as? Bool == true || $0["unreachable"] as? Bool == true }, words: w),
            "rooms": rooms,
            "unknownItems": findings.filter { $0["unknown"] as? Bool == true },
            "hasAbnormal": report.count(.abnormal) > 0 || report.findings.contains { $0.card == Evaluator.reachability.id && $0.level == .unknown }, "hasUnknown": report.count(.unknown) > 0,
            "counts": ["devices": devices, "checked": report.findings.count, "normal": report.count(.normal),
                       "abnormal": report.count(.abnormal), "unknown": report.count(.unknown),
                       "coverage": formatNumber(report.coveragePercent)],
            "summary": ViewModel.summary(words: w, devices: devices, checked: report.findings.count,
                                         abnormal: report.count(.abnormal), unknown: report.count(.unknown)),
            "coverage": ViewModel.coverageSection(coverage, words: w, text: text),
        ]
    }
}
