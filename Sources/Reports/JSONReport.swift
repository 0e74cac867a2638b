import Foundation
import InspectorCore

/// The `inspect.report/1` JSON document (docs/report-schema.md).
public enum JSONReport {
    public static func render(_ report: InspectionReport, lang: Language) -> Data {
        let cells = Cells(lang)
        let findings: [[String: Any]] = report.findings.map { f in
            var measured: [String: Any] = [:]
            for m in f.measured {
                var entry: [String: Any] = ["unit": m.unit.trimmingCharacters(in: .whitespaces)]
                if let v = m.current { entry["current"] = v }
                if let v = m.avg { entry["avg"] = v }
                if let v = m.max { entry["max"] = v }
                if let v = m.min { entry["min"] = v }
                if let v = m.text { entry["text"] = v }
                if let v = m.raw { entry["raw"] = v }
                measured[m.metric] = entry
            }
            let limits: [[String: Any]] = f.limits.map { l in
                var entry: [String: Any] = ["metric": l.metric, "stat": l.stat, "source": l.source.rawValue]
                if let w = l.warning { entry["warning"] = w }
                if let c = l.critical { entry["critical"] = c }
                if let s = l.okStates { entry["ok_states"] = s }
                return entry
            }
            var object: [String: Any] = [
                "card": f.card, "target": f.target, "instance": f.instance, "item": f.item(lang),
                "status": f.status.rawValue, "level": f.level.rawValue, "severity": f.severity.rawValue,
                "measured": measured, "limit": ["text": cells.expected(f), "checks": limits],
                "limit_source": f.limitSource.rawValue, "limit_origin": f.limitOrigin,
                "source": f.sources.joined(separator: ", "), "evidence": f.evidence,
            ]
            object["reason"] = f.reason.map { $0.text(lang) } ?? NSNull()
            if let remedy = f.remedy, f.status == .abnormal { object["remedy"] = remedy.text(lang) }
            return object
        }
        let unverified: [[String: Any]] = report.findings.filter { $0.status == .unknown }.map {
            ["card": $0.card, "target": $0.target, "instance": $0.instance, "reason": $0.reason?.text(lang) ?? ""]
        }
        let document: [String: Any] = [
            "schema": InspectionReport.schema,
            "run": [
                "id": report.run.id, "host": report.run.host, "lang": lang.rawValue,
                "started_at": iso(report.run.startedAt), "finished_at": iso(report.run.finishedAt),
                "duration_seconds": (report.run.duration * 1000).rounded() / 1000,
                "tool_version": report.run.toolVersion, "config": report.run.configFile ?? NSNull(),
            ] as [String: Any],
            "summary": [
                "targets": report.targets.count, "findings": report.findings.count,
                "normal": report.count(.normal), "abnormal": report.count(.abnormal), "unknown": report.count(.unknown),
                "worst_level": report.worstLevel.rawValue, "exit_code": Int(report.exitCode),
            ] as [String: Any],
            "coverage": [
                "checked": report.findings.count, "verified": report.findings.count - report.count(.unknown),
                "percent": (report.coveragePercent * 10).rounded() / 10, "unverified": unverified,
            ] as [String: Any],
            "targets": report.targets.map { t in
                ["id": t.id, "kind": t.kind.rawValue, "address": t.address, "labels": t.labels,
                 "inventory": t.inventory, "failure": t.failure ?? NSNull()] as [String: Any]
            },
            "findings": findings,
        ]
        // Sorted keys make the output stable for diffs and golden files.
        return (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }
}
