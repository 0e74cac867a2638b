import ArgumentParser
import Foundation
import History
import InspectorApp
import InspectorCore
import Mail
import Reports
import Spool

struct Report: ParsableCommand {
    enum Kind: String, ExpressibleByArgument, CaseIterable { case inspection, daily, health }

    static let configuration = CommandConfiguration(
        abstract: "Render a report: the latest inspection of a day, a daily report, or a health report.",
        discussion: """
        inspection: the newest run stored in spool/reports within the period, rendered again in \
        any format and language.
        daily: every target's cards over a day (checks, abnormal, unknown, worst) and each measured \
        series with min, avg and max, from the history database in the state directory.
        health: alerts by card and severity, time to clear against the P1-P4 restore targets (SLA \
        achieved), availability per device and worst offenders, from the alert events kept in history \
        and in spool/events; with trends, inventory and coverage from history. \
        The period is a day (2026-11-24), a month (2026-11) or a quarter (2026-Q4); the default is \
        today for daily and this month for health.
        """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var paths: SpoolStateOptions

    @Option(name: .long, help: "Report kind: daily or health.")
    var kind: Kind = .daily

    @Option(name: .long, help: ArgumentHelp("2026-11-24, 2026-11 or 2026-Q4.", valueName: "period"))
    var period: String?

    @Option(name: .long, help: "Output format: text, json, html, md or csv.")
    var format: ReportFormat = .text

    @Option(name: .long, help: "Report language: zh or en.")
    var lang: Language = .en

    @Flag(name: .long, help: "Mask IP addresses and host names (for documents that leave the site).")
    var redact = false

    @Option(name: .long, help: ArgumentHelp("Queue the report for this address in spool/outbox (repeatable); `inspect mail` sends it.",
                                            valueName: "address"))
    var mailTo: [String] = []

    func validate() throws {
        if let period, ReportPeriod.parse(period) == nil {
            throw ValidationError("--period \(period) is not a day (2026-11-24), a month (2026-11) or a quarter (2026-Q4)")
        }
    }

    func run() throws {
        let logger = Log.logger("inspect.report")
        let (config, templates) = try options.loadWithTemplates(logger: logger)
        let (spoolDir, stateDir) = paths.resolve(config, logger: logger)
        let now = Date()
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: now)
        let label = period ?? (kind == .daily ? String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
                                              : String(format: "%04d-%02d", parts.year!, parts.month!))
        let (from, to) = ReportPeriod.parse(label)!
        let masker = ReportMail.siteRedactor(config)
        let refused = mailTo.filter { !config.mail.allows(MailMessage.bareAddress($0)) }
        guard refused.isEmpty else { throw ValidationError("--mail-to \(refused.joined(separator: ", ")) is not in mail.allow") }
        // The report in a format, masked or not: what stdout and mail are made of.
        let render: (ReportFormat, Bool) throws -> Data
        switch kind {
        case .inspection:
            guard let report = latestInspection(in: "\(spoolDir)/reports", from: from, to: to) else {
                throw ValidationError("no inspection stored in \(spoolDir)/reports for \(label)")
            }
            let shown = redact ? Redactor(report: report).apply(report) : report
            FileHandle.standardOutput.write(format.render(shown, lang: lang, templates: templates))
            if !mailTo.isEmpty {   // as `inspect now --mail-to`: mail.redact_for recipients get a masked copy
                let queued = try ReportMail.queue(shown, to: mailTo, config: config, spool: spoolDir, lang: lang, templates: templates)
                logger.notice("report queued for mail", metadata: ["files": "\(queued.joined(separator: " "))"])
            }
            return
        case .daily:
            let path = "\(stateDir)/history.sqlite"
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no history at \(path): run `inspect now` or `inspect run` first, or pass --state")
            }
            let history = try History(path: path)
            let summary = try history.daily(period: label, from: from, to: to)
            let titles = Dictionary(config.cards.map { ($0.id, $0.title.text(lang)) }, uniquingKeysWith: { a, _ in a })
            render = { (format: ReportFormat, masked: Bool) -> Data in
                let mask: ((String) -> String)? = masked ? { masker.redact($0) } : nil
                return DailyReport.render(summary, format: format, lang: lang, redact: mask, templates: templates, titles: titles,
                                          samples: { s in
                    (try? history.samples(target: s.target, metric: s.metric, instance: s.instance, from: from, to: to)) ?? []
                })
            }
        case .health:
            let path = "\(stateDir)/history.sqlite"
            let history = FileManager.default.fileExists(atPath: path) ? try? History(path: path) : nil
            render = HealthInputs.report(period: label, from: from, to: to, history: history, spool: spoolDir, config: config,
                                         lang: lang, generatedAt: now, templates: templates, masker: masker).render
        }
        FileHandle.standardOutput.write(try render(format, redact))
        guard !mailTo.isEmpty else { return }
        let title = kind == .daily ? Words(lang).dailyReport : Words(lang).healthReport
        let queued = try ReportMail.queue(subject: "[Inspector] \(title) \(label)", name: "\(Spool.stamp(now))-\(kind.rawValue)-\(label)",
                                          to: mailTo, config: config, spool: spoolDir, date: now, redactAll: redact, render: render)
        logger.notice("report queued for mail", metadata: ["messages": "\(queued.joined(separator: " "))"])
    }

    /// The newest inspect.report/1 in reports/new or cur that started within [from, to).
    func latestInspection(in folder: String, from: Date, to: Date) -> InspectionReport? {
        let files = ["new", "cur"].flatMap { sub in
            ((try? FileManager.default.contentsOfDirectory(atPath: "\(folder)/\(sub)")) ?? [])
                .filter { $0.hasSuffix(".json") && !$0.contains("-health-") }.map { "\(folder)/\(sub)/\($0)" }
        }
        for path in files.sorted(by: { ($0 as NSString).lastPathComponent > ($1 as NSString).lastPathComponent }) {
            guard let data = FileManager.default.contents(atPath: path), let report = try? JSONReportReader.read(data) else { continue }
            if report.run.startedAt >= from && report.run.startedAt < to { return report }
        }
        return nil
    }
}
