import ArgumentParser
import Foundation
import History
import InspectorApp
import InspectorCore

/// `inspect ack EVENT_ID --by NAME`: records that someone responded to an alert.
struct Ack: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Acknowledge an alert: someone has taken it on (its response time stops).",
        discussion: """
        EVENT_ID is the id of any event of the alert (the raised one, as in the alert mail or the \
        chat message). Writes one `acknowledged` event to spool/events and history; the daemon then \
        stops escalating the alert for its respond deadline and tells the levels already told. \
        An unknown event, or an alert already acknowledged or cleared, is exit 65.
        """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var paths: SpoolStateOptions

    @Argument(help: "The id of one of the alert's events.")
    var eventID: String

    @Option(name: .long, help: "Who responds (a name as the contract's reports should show it).")
    var by: String

    @Option(name: .long, help: "What is being done.")
    var note: String?

    func run() throws {
        let logger = Log.logger("inspect.ack")
        let config = try options.load(logger: logger)
        let (spoolDir, stateDir) = paths.resolve(config, logger: logger)
        let path = "\(stateDir)/history.sqlite"
        let history = FileManager.default.fileExists(atPath: path) ? try? History(path: path) : nil
        do {
            let ack = try Acknowledgements.acknowledge(eventID: eventID, by: by, note: note, state: stateDir, spool: spoolDir, history: history)
            print("acknowledged \(ack.target) \(ack.card) \(ack.instance) by \(ack.by ?? by): event \(ack.id)")
        } catch let refused as Acknowledgements.Refused {
            FileHandle.standardError.write(Data("inspect ack: \(refused.description)\n".utf8))
            throw ExitCode(65)
        }
    }
}
