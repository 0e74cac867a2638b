import Foundation
import Testing
import InspectorCore
@testable import Reports

/// The backup records section (系统备份记录) of the daily report: one row per BAK-001 finding,
/// with the time the backup was taken (shown in the report's zone), its size, result and age.
struct BackupRecordsTests {
    static func report() -> InspectionReport {
        let base = RendererTests.report().findings[0]
        func backup(_ id: String, level: Level, result: String, age: Double?, taken: String?, size: Double?) -> Finding {
            var f = base
            f.card = "BAK-001"
            f.target = id
            f.instance = ""
            f.instanceLabel = nil
            f.title = LocalizedText(zh: "系统备份", en: "System backup")
            f.level = level
            f.reason = level == .ok ? nil : LocalizedText(zh: "已超过 26 小时", en: "older than 26 h")
            f.measured = [Measurement(metric: "backup.result", text: result)]
            if let age { f.measured.append(Measurement(metric: "backup.age_hours", unit: "h", current: age, raw: taken)) }
            if let size { f.measured.append(Measurement(metric: "backup.size_mb", unit: "MB", current: size)) }
            return f
        }
        var report = RendererTests.report()
        report.targets = [ReportTarget(id: "db-dump", kind: .backup, address: "backup:/var/backups/db/*.sql.gz"),
                          ReportTarget(id: "etc", kind: .backup, address: "backup:backup-etc.service")]
        report.findings = [backup("db-dump", level: .ok, result: "present", age: 5.5, taken: "2026-12-05T17:30:00Z", size: 120.5),
                           backup("etc", level: .critical, result: "success", age: 30, taken: "2026-12-04T17:00:00Z", size: nil)]
        return report
    }

    @Test(arguments: [Language.en, .zh])
    func everyFormatListsTheRecords(lang: Language) throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let text = String(decoding: ReportFormat.text.render(Self.report(), lang: lang, timeZone: zone), as: UTF8.self)
        let title = lang == .zh ? "系统备份记录" : "Backup records"
        let section = try #require(text.components(separatedBy: title).dropFirst().first, "\(text)")
        // 17:30 UTC is 01:30 the next day in Shanghai.
        #expect(section.contains("db-dump") && section.contains("2026-12-06 01:30") && section.contains("120.5 MB"), "\(section)")
        #expect(section.contains(lang == .zh ? "结果 存在" : "present"))
        #expect(section.contains("etc") && section.contains("2026-12-05 01:00") && section.contains(lang == .zh ? "30 小时" : "30 h"))
        let html = String(decoding: ReportFormat.html.render(Self.report(), lang: lang, timeZone: zone), as: UTF8.self)
        #expect(html.contains("<h2>\(title)</h2>") && html.contains("<td class=\"nw\">2026-12-06 01:30</td>"))
        let md = String(decoding: ReportFormat.md.render(Self.report(), lang: lang, timeZone: zone), as: UTF8.self)
        #expect(md.contains("## \(title)") && md.contains("| db-dump | 2026-12-06 01:30 | 120.5 MB |"))
    }

    @Test func reportsWithoutBackupsHaveNoSection() {
        let text = String(decoding: ReportFormat.text.render(RendererTests.report(), lang: .en), as: UTF8.self)
        #expect(!text.contains("Backup records"))
    }
}

/// The period reports' backup section, from the records history keeps.
struct PeriodBackupRecordsTests {
    @Test(arguments: [Language.en, .zh])
    func monthlyReportListsBackups(lang: Language) throws {
        let from = Date(timeIntervalSince1970: 1_796_083_200)   // 2026-12-01T00:00:00Z
        var d = DailySummary(period: "2026-12", from: from, to: from.addingTimeInterval(31 * 86_400), series: [], cards: [])
        d.backups = [BackupRecord(target: "db-dump", taken: from.addingTimeInterval(3600), sizeMB: 120.5, result: "present", level: .ok),
                     BackupRecord(target: "etc", taken: from.addingTimeInterval(90_000), sizeMB: nil, result: "failed: Result=exit-code, exit status 3", level: .critical)]
        let zone = TimeZone(identifier: "UTC")!
        let text = String(decoding: DailyReport.render(d, format: .text, lang: lang, timeZone: zone), as: UTF8.self)
        #expect(text.contains(lang == .zh ? "系统备份记录" : "Backup records"), "\(text)")
        #expect(text.contains("2026-12-01 01:00") && text.contains("120.5 MB") && text.contains("2026-12-02 01:00"))
        #expect(text.contains(lang == .zh ? "存在" : "present") && text.contains(lang == .zh ? "严重" : "CRITICAL"))
        let html = String(decoding: DailyReport.render(d, format: .html, lang: lang, timeZone: zone), as: UTF8.self)
        #expect(html.contains("row-critical"))
    }
}
