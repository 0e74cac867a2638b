import ArgumentParser
import Foundation
import InspectorApp
import InspectorCore
import Mail

struct MailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Send the mail waiting in spool/outbox.",
        discussion: """
        Every message in spool/outbox/new is sent through the SMTP server (smtp:// with STARTTLS \
        required, or smtps://; `?starttls=no` only for a server on loopback), authenticating with \
        mail.secrets. A delivered message moves to outbox/sent; one the server refuses (5xx) to \
        outbox/failed with the server's answer in a .reason file beside it; a temporary failure \
        (refused connection, timeout, 4xx) stays queued and is retried after 1, 2, 4... minutes.
        Exit 0 when nothing is left, 75 when something stays queued, 1 when something failed.
        """)

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: ArgumentHelp("smtp://HOST:PORT or smtps://HOST:PORT (default mail.smtp_url).", valueName: "url"))
    var smtpUrl: String?

    @Option(name: .long, help: ArgumentHelp("Envelope sender (default mail.from).", valueName: "address"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("The spool directory.", valueName: "dir"))
    var spool: String?

    func run() throws {
        let logger = Log.logger("inspect.mail")
        let config = try options.load(logger: logger)
        let (spoolDir, _, notes) = ResolvedPaths.spoolAndState(spool: spool, state: nil, config: config)
        for note in notes { logger.notice("\(note)") }
        let settings: SMTPSettings
        do { settings = try ReportMail.smtp(config: config, url: smtpUrl, from: from) } catch { throw ValidationError("\(error)") }
        // An operator asking now gets every message tried now; back-off paces automatic retries.
        let result = try Outbox(spool: spoolDir).flush(with: SMTPSender(settings), ignoringBackoff: true)
        for name in result.sent { print("sent \(name)") }
        for (name, why) in result.failed {
            logger.error("refused for good, moved to outbox/failed", metadata: ["message": "\(name)", "reason": "\(why)"])
            print("failed \(name): \(why)")
        }
        for (name, why) in result.queued { print("queued \(name): \(why)") }
        for name in result.waiting { print("waiting \(name) (backing off)") }
        if !result.queued.isEmpty {
            FileHandle.standardError.write(Data("inspect: \(result.queued.count) message(s) stay queued: \(result.queued[0].1)\n".utf8))
            throw ExitCode(75)   // EX_TEMPFAIL
        }
        if !result.failed.isEmpty { throw ExitCode(1) }
    }
}
