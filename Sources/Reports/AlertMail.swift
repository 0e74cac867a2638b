import Foundation
import InspectorCore

/// The body of an alert mail (raised, updated, flapping, cleared), from the `alert.*` templates.
public enum AlertMail {
    public static func render(_ e: AlertEvent, format: ReportFormat, templates: ReportTemplates = .shipped) -> String {
        let stamp = ViewModel.stamp
        var view: [String: Any] = [
            "state": e.state.rawValue, "STATE": e.state.rawValue.uppercased(), "severity": e.severity.rawValue, "level": e.level.rawValue,
            "target": e.target, "card": e.card, "item": e.item, "instance": e.instance, "measured": e.measured, "limit": e.limit,
            "detected": stamp(e.detectedAt), "firstAbnormal": stamp(e.firstAbnormalAt), "id": e.id, "dedupKey": e.dedupKey,
            "raised": e.state == .raised, "cleared": e.state == .cleared, "flapping": e.state == .flapping, "updated": e.state == .updated,
        ]
        view["reason"] = e.reason
        view["remedy"] = e.remedy
        view["escalation"] = e.escalation
        view["due"] = e.slaDueAt.map(stamp)
        view["clearedAt"] = e.clearedAt.map(stamp)
        return format.finish(templates.render(view, with: format.template("alert")))
    }
}
