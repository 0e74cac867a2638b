import Foundation
import Testing
@testable import History
@testable import InspectorCore

/// The backup records the monthly report lists (系统备份记录): one row per backup taken, however
/// many polls saw it, with the worst verdict it had while it was the newest.
struct BackupRecordHistoryTests {
    let t0 = Date(timeIntervalSince1970: 1_794_999_600)

    func finding(_ target: String, taken: Date, at t: Date, size: Double?, result: String, level: Level) -> Finding {
        var measured = [Measurement(metric: "backup.result", text: result),
                        Measurement(metric: "backup.age_hours", unit: "h", current: t.timeIntervalSince(taken) / 3600, raw: UTCTime.iso(taken))]
        if let size { measured.append(Measurement(metric: "backup.size_mb", unit: "MB", current: size)) }
        return Finding(card: "BAK-001", target: target, instance: "", title: LocalizedText("System backup"), level: level, severity: .p2,
                       measured: measured, limits: [], limitSource: .card, limitOrigin: "", sources: [], reason: nil, evidence: [],
                       remedy: nil, remarks: nil)
    }

    @Test func eachBackupOnceWithItsWorstVerdict() throws {
        let h = try History(path: NSTemporaryDirectory() + "inspect-history-\(UUID().uuidString)/history.sqlite")
        let day = 86_400.0
        let first = t0.addingTimeInterval(3600), second = t0.addingTimeInterval(day + 3600)
        // Day 1's dump is seen by three polls; the last, a day and more later, finds it stale (critical).
        for (i, at) in [2.0, 10, 26].enumerated() {
            let poll = first.addingTimeInterval(at * 3600)
            try h.record(findings: [finding("db-dump", taken: first, at: poll, size: 120.5, result: "present", level: i == 2 ? .critical : .ok)],
                         run: "r\(i)", at: poll)
        }
        try h.record(findings: [finding("db-dump", taken: second, at: second.addingTimeInterval(60), size: 121, result: "present", level: .ok),
                                finding("etc", taken: second, at: second.addingTimeInterval(60), size: nil, result: "success", level: .ok)],
                     run: "r3", at: second.addingTimeInterval(60))
        // A finding without a time (nothing found) is no record.
        var missing = finding("tape", taken: first, at: first, size: nil, result: "missing: no file", level: .critical)
        missing.measured.removeAll { $0.metric == "backup.age_hours" }
        try h.record(findings: [missing], run: "r4", at: second)

        let month = try h.daily(period: "2026-11", from: t0, to: t0.addingTimeInterval(30 * day))
        #expect(month.backups == [
            BackupRecord(target: "db-dump", taken: first, sizeMB: 120.5, result: "present", level: .critical),
            BackupRecord(target: "db-dump", taken: second, sizeMB: 121, result: "present", level: .ok),
            BackupRecord(target: "etc", taken: second, sizeMB: nil, result: "success", level: .ok),
        ])
        // A period that holds only the second day holds only its backups.
        #expect(try h.daily(period: "d", from: t0.addingTimeInterval(day), to: t0.addingTimeInterval(2 * day)).backups.count == 2)
        let json = String(decoding: month.document().serialized(), as: UTF8.self)
        #expect(json.contains("\"backups\"") && json.contains("\"size_mb\": 120.5"))
    }
}
