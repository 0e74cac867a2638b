import ArgumentParser
import Foundation
import InspectorApp
import InspectorCore
import Mail
import Probes
import ProcFS
import Reports

extension ReportFormat: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}
extension InspectionRecord.Round: ExpressibleByArgument {}

struct Now: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one inspection now and print the report.",
        discussion: """
        Inspects the local host and every configured target once, prints the report in the chosen \
        format, writes it to the spool (spool/reports/new/) and exits with the Nagios code of the \
        worst result.

        --target takes either the id of a configured target (to inspect only those) or an ad-hoc \
        URL: snmp://COMMUNITY@HOST:PORT, snmp1://..., \
        snmpv3://USER@HOST:PORT?level=authPriv&auth=SHA-256&priv=AES&secrets=FILE, http(s)://HOST/PATH. \
        A #NAME fragment sets the target's id.
        """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var paths: SpoolStateOptions

    @Option(name: .long, help: ArgumentHelp("Where /proc and /sys are read from (a recorded tree in tests).", valueName: "dir"))
    var root = "/"

    @Option(name: .long, help: "Output format: text, json, html, md or csv.")
    var format: ReportFormat = .text

    @Option(name: .long, help: "Report language: zh or en.")
    var lang: Language = .en

    @Option(name: .long, help: ArgumentHelp("A configured target id, or an ad-hoc target URL (repeatable).", valueName: "id|url"))
    var target: [String] = []

    @Option(name: .long, help: ArgumentHelp("Read --target values from this file, one per line (mode 600: a community written on the command line is visible to every user in ps).", valueName: "file"))
    var targetFile: String?

    @Flag(name: .long, help: "Skip the local host.")
    var noLocal = false

    @Option(name: .long, help: ArgumentHelp("Queue the report for this address in spool/outbox (repeatable); `inspect mail` sends it.", valueName: "address"))
    var mailTo: [String] = []

    @Flag(name: .long, help: "Mask IP addresses and host names in the printed report (for documents that leave the site).")
    var redact = false

    @Flag(name: .long, help: "Do not verify TLS certificates of ad-hoc https:// targets (expiry is still reported).")
    var insecureTls = false

    @Option(name: .long, help: ArgumentHelp("Hard deadline of the whole run, in seconds.", valueName: "seconds"))
    var deadline: Double?

    @Option(name: .long, help: ArgumentHelp("CPU sampling window for SXKR-001, in seconds (config: inspection.cpu_window).", valueName: "seconds"))
    var cpuWindow: Double?

    @Option(name: .long, help: ArgumentHelp("What a person saw on the round: the manual cards' results (YAML: by, observations: [{card, target, result, remarks}]).", valueName: "file"))
    var observations: String?

    @Option(name: .long, help: ArgumentHelp("Who inspected, named in the record's sign-off.", valueName: "name"))
    var by: String?

    @Option(name: .long, help: "The round this record is: daily, weekly, monthly or quarterly.")
    var round: InspectionRecord.Round = .daily

    func validate() throws {
        if let deadline, !Bounds.deadline.contains(deadline) { throw ValidationError("--deadline must be a number of seconds \(Bounds.describe(Bounds.deadline))") }
        if let cpuWindow, !Bounds.cpuWindow.contains(cpuWindow) { throw ValidationError("--cpu-window must be a number of seconds \(Bounds.describe(Bounds.cpuWindow))") }
        guard FileManager.default.fileExists(atPath: root + "/proc") || root == "/" else {
            throw ValidationError("--root \(root) has no proc/ directory")
        }
    }

    func run() async throws {
        let logger = Log.logger("inspect.now")
        let (config, templates) = try options.loadWithTemplates(logger: logger)
        let (spoolDir, stateDir) = paths.resolve(config, logger: logger)

        var request = InspectionRequest(config: config, spool: spoolDir, state: stateDir)
        request.root = root
        request.includeLocal = !noLocal
        request.deadline = deadline
        request.cpuWindow = cpuWindow
        request.formats = [format]
        request.lang = lang
        request.templates = templates
        request.record.round = round
        request.record.inspector = by
        request.releasesPagesBetweenPhases = true
        for value in try target + TargetFile.read(targetFile) {
            if value.contains("://") {
                do {
                    var adHoc = try AdHocTarget.parse(value)
                    if insecureTls { adHoc.http.tlsVerify = false }
                    request.adHoc.append(adHoc)
                } catch { throw ValidationError(error.description) }
            } else {
                request.only.append(value)
            }
        }
        if let observations {
            let sheet: ObservationSheet
            do { sheet = try ObservationSheet.load(file: observations) } catch {
                logger.error("observations: \(error)")
                throw ArgumentParser.ExitCode(ExitStatus.config)
            }
            let ids = (try? InspectionRunner().targets(for: request)) ?? []
            let rooms = ManualRows.rooms(of: ids.map { ReportTarget(id: $0.id, kind: $0.kind, address: "", labels: $0.labels) })
            let problems = sheet.problems(cards: config.cards, targets: Set(ids.map(\.id)), rooms: Set(rooms))
            guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "\n")) }
            request.observations = sheet
        }
        let refused = mailTo.filter { !config.mail.allows(MailMessage.bareAddress($0)) }
        guard refused.isEmpty else { throw ValidationError("--mail-to \(refused.joined(separator: ", ")) is not in mail.allow") }
        let runner = InspectionRunner()
        let targets: [InspectorCore.Target]
        do { targets = try runner.targets(for: request) } catch { throw ValidationError(error.description) }
        let inspection = await runner.inspection(request, targets: targets)
        let report = inspection.report
        let colour = format == .text && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let shown = redact ? Redactor(report: report).apply(report) : report
        FileHandle.standardOutput.write(format.render(shown, lang: lang, colour: colour, templates: templates))
        do {
            let files = try runner.record(inspection, request: request, localBootTime: LocalHostProbe(root: SystemRoot(root)).bootTime)
            logger.info("report written", metadata: ["files": "\(files.joined(separator: " "))"])
            if !mailTo.isEmpty {
                let queued = try ReportMail.queue(report, to: mailTo, config: config, spool: spoolDir, lang: lang, templates: templates)
                logger.notice("report queued for mail", metadata: ["files": "\(queued.joined(separator: " "))"])
            }
        } catch {
            logger.error("the report was printed but not spooled: \(error)")
            throw ArgumentParser.ExitCode(ExitStatus.software)
        }
        throw ArgumentParser.ExitCode(report.exitCode)
    }
}
