import Foundation
import InspectorCore

/// The body of an alert mail (raised, updated, flapping, cleared), from the `alert.*` templates.
public enum AlertMail {
    public static func render(_ e: AlertEvent, format: ReportFormat, lang: Language = .en, templates: ReportTemplates = .shipped,
                              timeZone: TimeZone = .current) -> String {
        let stamp = { ViewModel.stamp($0, in: timeZone) }
        let w = Words(lang)
        var view: [String: Any] = [
            "state": stateWord(e.state, lang), "STATE": lang == .zh ? stateWord(e.state, lang) : e.state.rawValue.uppercased(),
            "severity": e.severity.rawValue, "level": lang == .zh ? w.level(e.level) : e.level.rawValue,
            "words": lang == .zh
                ? ["level": "级别", "measured": "实测值", "limit": "限值", "reason": "原因", "detected": "发现时间",
                   "firstAbnormal": "首次异常", "restoreBy": "恢复时限", "cleared": "恢复时间", "remedy": w.remedy, "escalation": "上报至",
                   "event": "事件", "respondBy": "响应时限", "by": "响应人", "note": "说明"]
                : ["level": "level", "measured": "measured", "limit": "limit", "reason": "reason", "detected": "detected",
                   "firstAbnormal": "first abnormal", "restoreBy": "restore by", "cleared": "cleared", "remedy": "what to do",
                   "escalation": "escalate to", "event": "event", "respondBy": "respond by", "by": "acknowledged by", "note": "note"],
            "target": e.target, "card": e.card, "item": e.item, "instance": e.instance, "measured": e.measured, "limit": e.limit,
            "detected": stamp(e.detectedAt), "firstAbnormal": stamp(e.firstAbnormalAt), "id": e.id, "dedupKey": e.dedupKey,
            "raised": e.state == .raised, "cleared": e.state == .cleared, "flapping": e.state == .flapping, "updated": e.state == .updated,
        ]
        // Chinese texts where the event carries them (events written before they did have English only).
        let zh = lang == .zh ? e.zh : nil
        view["item"] = zh?.item ?? e.item
        view["reason"] = zh?.reason ?? e.reason
        view["remedy"] = zh?.remedy ?? e.remedy
        view["escalation"] = e.escalation
        view["due"] = e.slaDueAt.map(stamp)
        view["respondDue"] = e.respondDueAt.map(stamp)
        view["by"] = e.state == .acknowledged ? e.by : nil
        view["note"] = e.state == .acknowledged ? e.note : nil
        view["acknowledged"] = e.state == .acknowledged
        view["escalated"] = e.state == .escalated
        view["clearedAt"] = e.clearedAt.map(stamp)
        return format.finish(templates.render(view, with: format.template("alert")))
    }

    /// "raised" / "告警" and so on, for subjects and bodies.
    /// "P1 raised: ups-a UPS-002 Battery charge" / "P1 告警：ups-a UPS-002 电池电量".
    public static func subject(_ e: AlertEvent, lang: Language) -> String {
        lang == .zh ? "\(e.severity.rawValue) \(stateWord(e.state, lang))：\(e.target) \(e.card) \(e.zh?.item ?? e.item)"
                    : "\(e.severity.rawValue) \(stateWord(e.state, lang)): \(e.target) \(e.card) \(e.item)"
    }

    public static func stateWord(_ state: AlertEvent.State, _ lang: Language) -> String {
        guard lang == .zh else { return state.rawValue }
        switch state {
        case .raised: return "告警"
        case .updated: return "告警级别变化"
        case .flapping: return "状态抖动"
        case .cleared: return "恢复"
        case .acknowledged: return "已响应"
        case .escalated: return "升级"
        }
    }
}
