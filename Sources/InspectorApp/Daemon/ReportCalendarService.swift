import Foundation
import InspectorCore
import Reports
import ServiceLifecycle
import Spool

/// The report calendar: the daily inspection report once a day after schedule.daily_report, and
/// the period reports of `reports.kinds` when their period has ended. Looks once a second of the daemon's clock;
/// a report that cannot be written is retried at the next look.
final class ReportCalendarService: Service, @unchecked Sendable {
    static let name = "reports"
    let context: DaemonContext
    /// How often the calendar is looked at, in seconds of the daemon's clock.
    let period: Double = 1

    init(context: DaemonContext) { self.context = context }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let now = self.context.clock.now()
                self.writeDailyReportIfDue(now: now)
                self.writeHealthReportsIfDue(now: now)
                await self.context.clock.sleep(seconds: self.period)
            }
        }
    }

    /// The period reports of `reports.kinds` (weekly to yearly; daily is the service report of
    /// the day before), each once: its JSON to spool/reports, mail to its recipients with the
    /// PDF where an engine is installed, and a notice to the channels that take reports.
    func writeHealthReportsIfDue(now: Date) {
        let config = context.config
        let time = parseClock(config.reports.at) ?? (8, 30)
        let due = ReportCalendar.due(at: now, kinds: config.reports.kinds, time: time, written: context.state { $0.healthReports })
        guard !due.isEmpty else { return }
        let spool = context.options.spool, lang = config.mail.lang
        for d in due {
            let name = "\(Spool.stamp(now))-report-\(d.kind.rawValue)-\(d.period)"
            let (report, render) = HealthInputs.report(kind: d.kind, period: d.period, from: d.from, to: d.to, history: context.history, spool: spool,
                                                       config: config, lang: lang, generatedAt: now, templates: context.templates,
                                                       masker: ReportMail.siteRedactor(config))
            let words = Words(lang)
            let title = words.reportTitle(d.kind.rawValue, period: d.period)
            do {
                let json = render(.json, false)
                try Spool(root: spool).reports.deliver(json, name: "\(name).json")
                let to = config.mail.recipients(report: d.kind)
                if !to.isEmpty {
                    try ReportMail.queue(subject: "[Inspector] \(title)", name: name, to: to, config: config, spool: spool, date: now,
                                         render: render, pdf: config.reports.pdf ? PDFEngine.find() : nil)
                }
                try Notifications.queueReportNotice(name: name, title: title, lines: [HealthReport.headline(report, w: words)],
                                                    document: json, config: config, spool: spool)
                context.state { _ = $0.healthReports.insert(d.period) }
                context.commit()
                context.logger.notice("\(d.kind.rawValue) report written", metadata: ["period": "\(d.period)", "incidents": "\(report.summary.alerts.count)"])
            } catch {
                context.logger.error("\(d.kind.rawValue) report for \(d.period) not written, retried on the next tick: \(error)")
            }
        }
    }

    /// The daily inspection report: every target's latest findings, once a day after the configured time.
    func writeDailyReportIfDue(now: Date) {
        let config = context.config
        guard let time = config.schedule.dailyReport.flatMap(parseClock) else { return }
        let parts = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute], from: now)
        let today = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        guard (parts.hour ?? 0) * 60 + (parts.minute ?? 0) >= time.hour * 60 + time.minute,
              context.state({ $0.lastDailyReport }) != today else { return }
        // Every target must have answered or timed out once in this run: a report written at
        // the first answer would leave the others (the local host among them) out. Asked only
        // once the report is due: it copies every target's latest verdict.
        guard let latest = context.latestOfAll() else { return }
        let run = RunInfo(id: "\(Spool.stamp(now))-daily", host: ProcessInfo.processInfo.hostName, startedAt: now, finishedAt: now,
                          toolVersion: InspectorVersion.string, configFile: context.options.configPath)
        let report = InspectionReport(run: run, targets: latest.map(\.0), findings: latest.flatMap(\.1))
        let spool = context.options.spool
        do {
            try Spool(root: spool).reports.deliver(JSONReport.render(report, lang: .en), name: "\(run.id).json")
            if let to = config.mail.recipients["daily"] {
                _ = try ReportMail.queue(report, to: to, config: config, spool: spool, lang: config.mail.lang, templates: context.templates)
            }
            context.state { $0.lastDailyReport = today }
            context.commit()
            context.logger.notice("daily report written", metadata: ["findings": "\(report.findings.count)"])
        } catch {
            context.logger.error("daily report not written, retried on the next tick: \(error)")
        }
    }
}
