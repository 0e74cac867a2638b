import Foundation
import InspectorCore

/// `inspect form`: the blank form of the round's manual items, for a round without a laptop.
/// Each row's id (card and target) is the one the observations file uses; `--format yaml` prints
/// that file with the results left blank, ready to fill in.
public enum BlankForm {
    public enum Format: String, Sendable, CaseIterable {
        case html, md, text, yaml

        var template: String { "form.\(self == .text ? "txt" : rawValue)" }
    }

    /// `report`: the targets of the round and their manual rows (all 未检查).
    public static func render(_ report: InspectionReport, format: Format, lang: Language,
                              templates: ReportTemplates = .shipped, timeZone: TimeZone = .current) -> Data {
        let w = Words(lang)
        let cells = Cells(lang)
        let roomOf = Dictionary(report.targets.map { ($0.id, $0.room ?? "") }, uniquingKeysWith: { a, _ in a })
        let rows: [[String: Any]] = report.findings.map { f in
            ["id": "\(f.card) \(f.target)", "card": f.card, "target": f.target, "item": f.title.text(lang),
             "expected": cells.expected(f), "room": roomOf[f.target] ?? "", "severity": f.severity.rawValue]
        }
        let byTarget = Dictionary(grouping: rows) { $0["target"] as? String ?? "" }
        let groups: [[String: Any]] = report.targets.compactMap { t in
            guard let mine = byTarget[t.id] else { return nil }
            return ["target": t.id, "isRoom": t.kind == .room, "rows": mine]
        }
        let view: [String: Any] = [
            "lang": ViewModel.htmlLang(lang), "record": RecordView.make(report, words: w, timeZone: timeZone),
            "title": w.pick("巡检表（人工检查项）", "Round form (manual items)"),
            "groups": groups, "rows": rows, "empty": rows.isEmpty,
            "header": ["id": w.pick("行号", "Row"), "item": w.item, "expected": w.pick("检查期待结果", "Expected"),
                       "result": w.result, "remarks": w.remarks, "severity": w.pick("故障级别", "Priority"),
                       "device": w.device, "room": w.room],
            "choices": [w.state("normal"), w.state("abnormal"), w.state("na")].map { "□ \($0)" }.joined(separator: "  "),
            "words": ["colon": w.pick("：", ": "), "howTo": w.pick(
                "在“检查结果”中填写 正常、异常 或 不适用，异常时在“备注”写明情况；录入：inspect now --observations 文件",
                "Write normal, abnormal or na as the result, and what you saw in the remarks; then: inspect now --observations FILE"),
                      "none": w.pick("配置中没有适用于这些设备的人工检查项。", "No manual item of the config applies to these targets.")],
        ]
        return Data(templates.render(view, with: format.template).utf8)
    }
}
