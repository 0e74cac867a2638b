import Foundation
import InspectorCore

/// Reads an `inspect.report/1` document back into the report model (for `inspect report --kind
/// inspection`). Documents written before the `texts` key existed fall back to their one language.
public enum JSONReportReader {
    public struct Invalid: Error, CustomStringConvertible { public var description: String }

    public static func read(_ data: Data) throws -> InspectionReport {
        guard let doc = try JSONSerialization.jsonObject(with: data) as? [String: Any], doc["schema"] as? String == InspectionReport.schema,
              let run = doc["run"] as? [String: Any] else { throw Invalid(description: "not an inspect.report/1 document") }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func date(_ v: Any?) -> Date { (v as? String).flatMap(iso.date) ?? Date(timeIntervalSince1970: 0) }
        func text(_ v: Any?, fallback: String?) -> LocalizedText? {
            if let t = v as? [String: String], let zh = t["zh"], let en = t["en"] { return LocalizedText(zh: zh, en: en) }
            return fallback.map(LocalizedText.init)
        }
        var info = RunInfo(id: run["id"] as? String ?? "", host: run["host"] as? String ?? "", startedAt: date(run["started_at"]),
                           finishedAt: date(run["finished_at"]), toolVersion: run["tool_version"] as? String ?? "", configFile: run["config"] as? String)
        info.record.round = InspectionRecord.Round(rawValue: run["round"] as? String ?? "") ?? .daily
        info.record.organisation = run["organisation"] as? String
        info.record.confidential = run["confidential"] as? Bool ?? false
        info.record.inspector = run["inspector"] as? String
        info.record.reviewer = run["reviewer"] as? String
        info.record.customer = run["customer"] as? String
        let targets = (doc["targets"] as? [[String: Any]] ?? []).map { t in
            ReportTarget(id: t["id"] as? String ?? "", kind: TargetKind(rawValue: t["kind"] as? String ?? "") ?? .host,
                         address: t["address"] as? String ?? "", labels: t["labels"] as? [String: String] ?? [:],
                         inventory: t["inventory"] as? [String: String] ?? [:], failure: t["failure"] as? String)
                .withFailureWords(text(t["failure_texts"], fallback: nil))
        }
        let findings = (doc["findings"] as? [[String: Any]] ?? []).map { f -> Finding in
            let texts = f["texts"] as? [String: Any] ?? [:]
            let order = ((f["limit"] as? [String: Any])?["checks"] as? [[String: Any]] ?? []).compactMap { $0["metric"] as? String }
            let rank = { (metric: String) in order.firstIndex(of: metric) ?? order.count }
            let measured = (f["measured"] as? [String: [String: Any]] ?? [:])
                .sorted { (rank($0.key), $0.key) < (rank($1.key), $1.key) }.map { metric, m in
                Measurement(metric: metric, unit: m["unit"] as? String ?? "", current: m["current"] as? Double, avg: m["avg"] as? Double,
                            max: m["max"] as? Double, min: m["min"] as? Double, text: m["text"] as? String, raw: m["raw"] as? String)
            }
            let checks = ((f["limit"] as? [String: Any])?["checks"] as? [[String: Any]] ?? []).map { c in
                AppliedLimit(metric: c["metric"] as? String ?? "", stat: c["stat"] as? String ?? "current", warning: c["warning"] as? String,
                             critical: c["critical"] as? String, okStates: c["ok_states"] as? [String],
                             source: LimitSource(rawValue: c["source"] as? String ?? "") ?? .card, window: c["window_seconds"] as? Double)
            }
            let item = f["item"] as? String ?? ""
            var finding = Finding(card: f["card"] as? String ?? "", target: f["target"] as? String ?? "", instance: f["instance"] as? String ?? "",
                           title: text(texts["title"], fallback: item) ?? LocalizedText(item), instanceLabel: texts["instance_label"] as? String,
                           level: Level(rawValue: f["level"] as? String ?? "") ?? .unknown, severity: Severity(rawValue: f["severity"] as? String ?? "") ?? .p3,
                           measured: measured, limits: checks, limitSource: LimitSource(rawValue: f["limit_source"] as? String ?? "") ?? .card,
                           limitOrigin: f["limit_origin"] as? String ?? "",
                           sources: texts["sources"] as? [String] ?? [(f["source"] as? String) ?? ""].filter { !$0.isEmpty },
                           reason: text(texts["reason"], fallback: f["reason"] as? String), evidence: (texts["evidence"] as? [[String: String]]).map { $0.map { LocalizedText(zh: $0["zh"] ?? "", en: $0["en"] ?? "") } }
                               ?? (f["evidence"] as? [String] ?? []).map(LocalizedText.init),
                           remedy: text(texts["remedy"], fallback: f["remedy"] as? String), remarks: text(texts["remarks"], fallback: nil))
            finding.alias = texts["alias"] as? String
            finding.expected = text(texts["expected"], fallback: nil)
            finding.sourceWords = text(texts["source_words"], fallback: nil)
            return finding
        }
        let notApplicable = (doc["not_applicable"] as? [[String: Any]] ?? []).map { n in
            NotApplicable(card: n["card"] as? String ?? "", target: n["target"] as? String ?? "",
                          title: text((n["texts"] as? [String: Any])?["title"], fallback: n["title"] as? String ?? "") ?? LocalizedText(""))
        }
        return InspectionReport(run: info, targets: targets, findings: findings, notApplicable: notApplicable)
    }
}
