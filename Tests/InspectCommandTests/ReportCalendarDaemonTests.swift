import Foundation
import InspectorApp
import InspectorCore
import Testing
import TestPeers

/// The daemon writes the weekly report on Monday after `reports.at`, once: to spool/reports, to
/// its mail recipients with the PDF attached, and as a notice to the chat channel that takes reports.
@Suite(.serialized, .enabled(if: HTTPPeer.available, "needs /usr/bin/python3 with cryptography"))
struct ReportCalendarDaemonTests {
    @Test func theWeeklyReportIsWrittenMailedAndAnnouncedOnce() async throws {
        let hooks = try HookPeer()
        defer { hooks.stop() }
        let dir = CommandRunner.temporaryDirectory()
        let path = try CommandRunner.config(in: dir, extra: """
            schedule: {interval: 60s, daily_report: "23:59"}
            reports: {kinds: [weekly], at: "08:30"}
            mail: {recipients: {weekly: [boss@example.com]}, lang: zh}
            channels:
              - {id: ops, kind: wecom, url: "\(hooks.url("/wecom?key=K"))", reports: true}
            """)
        // The coming Monday, 08:29 local time.
        let calendar = Calendar.current
        let monday = calendar.nextDate(after: Date(), matching: DateComponents(hour: 8, minute: 29, weekday: 2), matchingPolicy: .nextTime)!
        let week = ReportPeriod.previous(ReportPeriod.label(.weekly, containing: monday))!
        let daemon = try DaemonClockTests.InProcessDaemon(config: path, dir: dir, at: monday,
                                                          root: "\(CommandRunner.trees)/healthy-server")
        let reports = { ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/spool/reports/new")) ?? []).filter { $0.contains("-report-weekly-\(week)") } }
        _ = await daemon.advance(until: { false }, limit: 50)
        #expect(reports().isEmpty, "written before 08:30")
        #expect(await daemon.advance { !reports().isEmpty }, "no weekly report for \(week)")
        #expect(await daemon.advance { hooks.received.count >= 1 }, "no notice posted")
        _ = await daemon.advance(until: { false }, limit: 120)
        #expect(reports().count == 1)
        let notices = hooks.received
        #expect(notices.count == 1 && notices.first?["ok"] as? Bool == true)
        let content = ((notices.first?["body"] as? [String: Any])?["markdown"] as? [String: Any])?["content"] as? String ?? ""
        #expect(content.contains("周报") && content.contains("可用率"), "\(content)")
        let outbox = dir + "/spool/outbox/new"
        let mails = try FileManager.default.contentsOfDirectory(atPath: outbox).map { try String(contentsOfFile: "\(outbox)/\($0)", encoding: .utf8) }
        #expect(mails.count == 1)
        #expect(mails.first?.contains("To: boss@example.com") == true)
        if PDFEngine.find() != nil {
            #expect(mails.first?.contains("application/pdf") == true, "the PDF is attached where an engine is installed")
        }
        #expect(try await daemon.stop())
    }
}
