import ArgumentParser
import Foundation
import InspectorApp
import InspectorCore
import Reports

extension BlankForm.Format: ExpressibleByArgument {}

/// `inspect form`: the blank form of the round's manual items for today's targets, to fill in on
/// paper; `--format yaml` prints the observations file with the same row ids, results blank.
struct Form: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the blank form of the round's manual items (to fill in, then: inspect now --observations FILE).",
        discussion: "--format html prints an A4 page for the printer; yaml prints the observations file with the results blank.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Form language: zh or en.")
    var lang: Language = .zh

    @Option(name: .long, help: "html (print-ready A4), md, text, or yaml (the observations file to fill in).")
    var format: BlankForm.Format = .html

    @Option(name: .long, help: "The round: daily, weekly, monthly or quarterly.")
    var round: InspectionRecord.Round = .daily

    @Flag(name: .long, help: "Leave the local host out.")
    var noLocal = false

    func run() throws {
        let (config, templates) = try options.loadWithTemplates(logger: Log.logger("inspect.form"))
        let targets = (noLocal ? [] : [config.local].compactMap { $0 }) + config.targets
        let listed = targets.map { ReportTarget(id: $0.id, kind: $0.kind, address: "", labels: $0.labels) }
        let rows = ManualRows.make(cards: config.cards, targets: listed, sheet: ObservationSheet(file: ""))
        var run = RunInfo(id: "form", host: ProcessInfo.processInfo.hostName, startedAt: Date(), finishedAt: Date(), toolVersion: InspectorVersion.string)
        run.record.round = round
        run.record.organisation = config.organisation
        run.record.confidential = config.confidential
        let report = InspectionReport(run: run, targets: listed + rows.rooms, findings: rows.findings)
        FileHandle.standardOutput.write(BlankForm.render(report, format: format, lang: lang, templates: templates))
    }
}
