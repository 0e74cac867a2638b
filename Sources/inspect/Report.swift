import ArgumentParser
import Foundation
import History
import InspectorApp
import InspectorCore
import Mail
import Reports
import Spool

/// A report's output: one of the renderers' formats, or a PDF made from the HTML by an engine
/// found at run time.
enum ReportOutput: String, ExpressibleByArgument, CaseIterable {
    case text, json, html, md, csv, pdf

    var format: ReportFormat { ReportFormat(rawValue: self == .pdf ? "html" : rawValue)! }
}

struct Report: ParsableCommand {
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case inspection, daily, weekly, monthly, quarterly, halfyear, yearly, health
    }

    static let configuration = CommandConfiguration(
        abstract: "Render a report: the latest inspection, a daily report, or a period report (weekly to yearly).",
        discussion: """
        inspection: the newest run stored in spool/reports within the period, rendered again in \
        any format and language.
        daily: every target's cards over a day (checks, abnormal, unknown, worst) and each measured \
        series with min, avg and max, from the history database in the state directory.
        weekly, monthly, quarterly, halfyear, yearly: the service report. First the verdict \
        (availability against the objective, P1-P4 incidents restored in time, respond and restore \
        targets met, MTTR) with arrows against the period before and a year before; then the method, \
        the five worst devices, faults by category, availability per device, incidents with their \
        timeline, maintenance windows held, inventory, trends, coverage and the sign-off block. From \
        the alert events in history and spool/events. health is monthly or quarterly by --period.
        Periods: 2026-12-02, 2026-W49, 2026-12, 2026-Q4, 2026-H2, 2026; the default is the current one.
        --format pdf renders the HTML through headless Chromium or WeasyPrint (exit 69 without one).
        """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var paths: SpoolStateOptions

    @Option(name: .long, help: "Report kind: inspection, daily, weekly, monthly, quarterly, halfyear, yearly (health: monthly or quarterly).")
    var kind: Kind = .daily

    @Option(name: .long, help: ArgumentHelp("2026-12-02, 2026-W49, 2026-12, 2026-Q4, 2026-H2 or 2026.", valueName: "period"))
    var period: String?

    @Option(name: .long, help: "Output format: text, json, html, md, csv or pdf.")
    var format: ReportOutput = .text

    @Option(name: .long, help: "Report language: zh or en.")
    var lang: Language = .en

    @Flag(name: .long, help: "Mask IP addresses and host names (for documents that leave the site).")
    var redact = false

    @Option(name: .long, help: ArgumentHelp("Queue the report for this address in spool/outbox (repeatable); `inspect mail` sends it.",
                                            valueName: "address"))
    var mailTo: [String] = []

    @Flag(name: .long, help: "Report over every agent of the fleet history (history.url, PostgreSQL), not this agent's own.")
    var fleet = false

    /// The period's kind: the one asked for, or for `health` (and `inspection`) the one its label is written in.
    var periodKind: ReportKind {
        switch kind {
        case .inspection: return period.flatMap(ReportKind.init(period:)) ?? .daily
        case .health: return period.flatMap(ReportKind.init(period:)) ?? .monthly
        default: return ReportKind(rawValue: kind.rawValue)!
        }
    }

    func validate() throws {
        guard let period else { return }
        guard ReportPeriod.parse(period) != nil, let written = ReportKind(period: period) else {
            throw ValidationError("--period \(period) is not a period: 2026-12-02, 2026-W49, 2026-12, 2026-Q4, 2026-H2 or 2026")
        }
        switch kind {
        case .inspection: return
        case .health:
            guard [.monthly, .quarterly].contains(written) else { throw ValidationError("--kind health takes a month (2026-11) or a quarter (2026-Q4)") }
        default:
            guard written.rawValue == kind.rawValue else {
                throw ValidationError("--period \(period) is a \(written.rawValue) period; --kind \(kind.rawValue) takes one like \(ReportPeriod.label(periodKind, containing: Date()))")
            }
        }
    }

    func run() throws {
        let logger = Log.logger("inspect.report")
        let (ownConfig, templates) = try options.loadWithTemplates(logger: logger)
        let (spoolDir, stateDir) = paths.resolve(ownConfig, logger: logger)
        let now = Date()
        // Found before any work: a missing engine is exit 69 naming the package, not a late surprise.
        let engine = format == .pdf ? PDFEngine.find() : nil
        if format == .pdf && engine == nil {
            FileHandle.standardError.write(Data("inspect report: \(PDFEngine.Missing().description)\n".utf8))
            throw ExitCode(69)
        }
        let label = period ?? ReportPeriod.label(periodKind, containing: now)
        let (from, to) = ReportPeriod.parse(label)!
        let masker = ReportMail.siteRedactor(ownConfig)
        let refused = mailTo.filter { !ownConfig.mail.allows(MailMessage.bareAddress($0)) }
        guard refused.isEmpty else { throw ValidationError("--mail-to \(refused.joined(separator: ", ")) is not in mail.allow") }
        let fleetInputs = try fleet ? FleetReport.history(config: ownConfig, from: from, to: to, logger: logger) : nil
        let history: History? = fleetInputs?.0 ?? {
            let path = "\(stateDir)/history.sqlite"
            return FileManager.default.fileExists(atPath: path) ? try? History(path: path) : nil
        }()
        let config = fleetInputs?.1 ?? ownConfig
        // The fleet's scratch copy goes when the report is made.
        defer { if fleet, let history { try? FileManager.default.removeItem(atPath: (history.path as NSString).deletingLastPathComponent) } }
        // The report in a format, masked or not: what stdout and mail are made of.
        let render: (ReportFormat, Bool) throws -> Data
        let title: String
        if fleet && kind == .inspection { throw ValidationError("--fleet makes period reports (daily to yearly); an inspection is one agent's") }
        switch kind {
        case .inspection:
            guard let report = latestInspection(in: "\(spoolDir)/reports", from: from, to: to) else {
                throw ValidationError("no inspection stored in \(spoolDir)/reports for \(label)")
            }
            let shown = redact ? Redactor(report: report).apply(report) : report
            try write(format.format.render(shown, lang: lang, templates: templates), engine: engine)
            if !mailTo.isEmpty {   // as `inspect now --mail-to`: mail.redact_for recipients get a masked copy
                let queued = try ReportMail.queue(shown, to: mailTo, config: config, spool: spoolDir, lang: lang, templates: templates)
                logger.notice("report queued for mail", metadata: ["files": "\(queued.joined(separator: " "))"])
            }
            return
        case .daily:
            guard let history else {
                throw ValidationError("no history at \(stateDir)/history.sqlite: run `inspect now` or `inspect run` first, or pass --state")
            }
            let summary = try history.daily(period: label, from: from, to: to)
            let titles = Dictionary(config.cards.map { ($0.id, $0.title.text(lang)) }, uniquingKeysWith: { a, _ in a })
            title = Words(lang).dailyReport
            render = { (format: ReportFormat, masked: Bool) -> Data in
                let mask: ((String) -> String)? = masked ? { masker.redact($0) } : nil
                return DailyReport.render(summary, format: format, lang: lang, redact: mask, templates: templates, titles: titles,
                                          samples: { s in
                    (try? history.samples(target: s.target, metric: s.metric, instance: s.instance, from: from, to: to)) ?? []
                })
            }
        default:
            title = Words(lang).reportTitle(periodKind.rawValue, period: label)
            render = HealthInputs.report(kind: periodKind, period: label, from: from, to: to, history: history, spool: spoolDir, config: config,
                                         lang: lang, generatedAt: now, templates: templates, masker: masker).render
        }
        try write(try render(format.format, redact), engine: engine)
        guard !mailTo.isEmpty else { return }
        let queued = try ReportMail.queue(subject: "[Inspector] \(title)", name: "\(Spool.stamp(now))-\(periodKind.rawValue)-\(label)",
                                          to: mailTo, config: config, spool: spoolDir, date: now, redactAll: redact, render: render,
                                          pdf: config.reports.pdf ? engine ?? PDFEngine.find() : nil)
        logger.notice("report queued for mail", metadata: ["messages": "\(queued.joined(separator: " "))"])
    }

    /// Writes the rendering to stdout; a PDF is made from the HTML first.
    func write(_ data: Data, engine: PDFEngine?) throws {
        guard let engine else { return FileHandle.standardOutput.write(data) }
        do { FileHandle.standardOutput.write(try engine.render(html: data)) } catch {
            FileHandle.standardError.write(Data("inspect report: \(error)\n".utf8))
            throw ExitCode(70)
        }
    }

    /// The newest inspect.report/1 in reports/new or cur that started within [from, to).
    func latestInspection(in folder: String, from: Date, to: Date) -> InspectionReport? {
        let files = ["new", "cur"].flatMap { sub in
            ((try? FileManager.default.contentsOfDirectory(atPath: "\(folder)/\(sub)")) ?? [])
                .filter { $0.hasSuffix(".json") && !$0.contains("-health-") && !$0.contains("-report-") }.map { "\(folder)/\(sub)/\($0)" }
        }
        for path in files.sorted(by: { ($0 as NSString).lastPathComponent > ($1 as NSString).lastPathComponent }) {
            guard let data = FileManager.default.contents(atPath: path), let report = try? JSONReportReader.read(data) else { continue }
            if report.run.startedAt >= from && report.run.startedAt < to { return report }
        }
        return nil
    }
}
