import Foundation
import InspectorCore

/// The backup records (系统备份记录) of a report: one row per backup target, drawn from its BAK-001
/// finding: when the newest backup was taken, its size, the result and its age, with the verdict.
enum BackupRecords {
    static func rows(_ report: InspectionReport, words w: Words, timeZone: TimeZone) -> [[String: Any]] {
        report.findings.filter { $0.card == BackupRecord.card }.map { f in
            func m(_ metric: String) -> InspectorCore.Measurement? { f.measured.first { $0.metric == metric } }
            let taken = BackupRecord.from(f)?.taken
            let result = m("backup.result")?.text
            return [
                "backup": f.target,
                "time": taken.map { ViewModel.formatter("yyyy-MM-dd HH:mm", timeZone).string(from: $0) } ?? "—",
                "size": m("backup.size_mb")?.current.map { "\(formatNumber($0)) MB" } ?? "—",
                "result": result.map(w.state) ?? "—",
                "age": m("backup.age_hours")?.current.map { "\(formatNumber($0)) \(Vocabulary.unit("h").text(w.lang))" } ?? "—",
                "verdict": w.result(f), "level": f.level.rawValue,
                "reason": f.reason?.text(w.lang) ?? "",
            ]
        }
    }

    static func header(_ w: Words) -> [String: String] {
        w.lang == .zh
            ? ["title": "系统备份记录", "backup": "备份", "time": "备份时间", "size": "大小", "result": "结果", "age": "距今", "verdict": "判定", "remarks": "备注"]
            : ["title": "Backup records", "backup": "Backup", "time": "Taken", "size": "Size", "result": "Result", "age": "Age", "verdict": "Verdict", "remarks": "Remarks"]
    }
}
