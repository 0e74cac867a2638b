import Foundation
import InspectorCore
import Logging
import Mail
import Probes
import Reports
import Spool

/// Turns reports into queued mail, and the outbox into sent mail.
public enum ReportMail {
    public struct Refused: Error, CustomStringConvertible { public var description: String }

    /// Masks this host's name and the configured targets' addresses wherever they appear
    /// (documents that leave the site), besides every IP address.
    public static func siteRedactor(_ config: InspectorConfig) -> Redactor {
        Redactor(names: [ProcessInfo.processInfo.hostName] + config.targets.compactMap { URLComponents(string: $0.address)?.host })
    }

    /// mail.from, else "Inspector <inspect@HOST>".
    static func sender(_ config: InspectorConfig) -> String {
        config.mail.from ?? "Inspector <inspect@\(ProcessInfo.processInfo.hostName)>"
    }

    /// Queues the run's report for `recipients` (checked against the allow-list): text and HTML
    /// bodies, CSV and JSON attached; recipients listed in mail.redact_for get a redacted copy.
    public static func queue(_ report: InspectionReport, to recipients: [String], config: InspectorConfig,
                             spool: String, lang: Language, templates: ReportTemplates = .shipped) throws -> [String] {
        let refused = recipients.filter { !config.mail.allows(MailMessage.bareAddress($0)) }
        guard refused.isEmpty else {
            throw Refused(description: "\(refused.joined(separator: ", ")) not in mail.allow (\(config.mail.allow.joined(separator: ", ")))")
        }
        let redacted = Set(config.mail.redactFor.map { $0.lowercased() })
        let groups = Dictionary(grouping: recipients) { redacted.contains(MailMessage.bareAddress($0).lowercased()) }
        var files: [String] = []
        for (redact, group) in groups.sorted(by: { !$0.key && $1.key }) {
            let shown = redact ? Redactor(report: report).apply(report) : report
            let words = Words(lang)
            let abnormal = shown.count(.abnormal), unknown = shown.count(.unknown)
            let subject = "[Inspector] " + words.mailSubject(host: shown.run.host, abnormal: abnormal, unknown: unknown)
            let host = ProcessInfo.processInfo.hostName
            let message = MailMessage(
                from: sender(config), to: group, subject: subject,
                text: String(decoding: ReportFormat.text.render(shown, lang: lang, templates: templates), as: UTF8.self),
                html: String(decoding: ReportFormat.html.render(shown, lang: lang, templates: templates), as: UTF8.self),
                attachments: [.init(filename: "\(report.run.id).csv", contentType: "text/csv; charset=utf-8",
                                    data: ReportFormat.csv.render(shown, lang: lang, templates: templates)),
                              .init(filename: "\(report.run.id).json", contentType: "application/json", data: JSONReport.render(shown, lang: lang))],
                messageID: "<\(report.run.id).\(redact ? "redacted" : "inspection")@inspect.\(host)>", date: report.run.finishedAt)
            files.append(try Outbox(spool: spool).queue(message))
        }
        return files
    }

    /// A period report (daily or health) for `recipients` in the allow-list: text and HTML bodies, the
    /// JSON attached. `render(format, masked)` draws it; recipients in mail.redact_for (everyone with
    /// `redactAll`) get one message with the masked copy, the others one with the full report.
    /// Returns the names of the messages queued.
    @discardableResult
    public static func queue(subject: String, name: String, to recipients: [String], config: InspectorConfig, spool: String,
                             date: Date, redactAll: Bool = false, render: (ReportFormat, Bool) throws -> Data,
                             pdf: PDFEngine? = nil) throws -> [String] {
        let allowed = recipients.filter { config.mail.allows(MailMessage.bareAddress($0)) }
        let maskedFor = Set(config.mail.redactFor.map { $0.lowercased() })
        let groups = Dictionary(grouping: allowed) { redactAll || maskedFor.contains(MailMessage.bareAddress($0).lowercased()) }
        let host = ProcessInfo.processInfo.hostName
        var queued: [String] = []
        for (masked, group) in groups.sorted(by: { !$0.key && $1.key }) {
            let id = masked ? "\(name)-redacted" : name
            let html = try render(.html, masked)
            var attachments: [MailMessage.Attachment] = [.init(filename: "\(name).json", contentType: "application/json", data: try render(.json, masked))]
            // The PDF where an engine is installed; the mail goes without it rather than not at all.
            if let pdf {
                do { attachments.append(.init(filename: "\(name).pdf", contentType: "application/pdf", data: try pdf.render(html: html))) } catch {
                    Logger(label: "inspect.mail").warning("\(name) is mailed without its PDF: \(error)")
                }
            }
            let message = MailMessage(from: sender(config), to: group, subject: subject,
                                      text: String(decoding: try render(.text, masked), as: UTF8.self),
                                      html: String(decoding: html, as: UTF8.self),
                                      attachments: attachments, messageID: "<\(id)@inspect.\(host)>", date: date)
            try Outbox(spool: spool).queue(message)
            queued.append(id)
        }
        return queued
    }

    /// An immediate mail for an alert event: to the recipients of its severity (P1, P2...), and to
    /// those of the escalation levels it is told to (`extra`). One message per event.
    public static func queue(_ event: AlertEvent, config: InspectorConfig, spool: String, templates: ReportTemplates = .shipped,
                             extra: [String] = []) throws {
        var recipients = config.mail.recipients[event.severity.rawValue] ?? []
        for address in extra where !recipients.contains(address) { recipients.append(address) }
        guard !recipients.isEmpty else { return }
        let lang = config.mail.lang
        let subject = "[Inspector] " + AlertMail.subject(event, lang: lang)
        let host = ProcessInfo.processInfo.hostName
        let message = MailMessage(from: sender(config),
                                  to: recipients.filter { config.mail.allows(MailMessage.bareAddress($0)) }, subject: subject,
                                  text: AlertMail.render(event, format: .text, lang: lang, templates: templates),
                                  html: AlertMail.render(event, format: .html, lang: lang, templates: templates),
                                  messageID: "<\(event.id)@inspect.\(host)>", date: event.at ?? event.detectedAt)
        guard !message.to.isEmpty else { return }
        try Outbox(spool: spool).queue(message)
    }

    /// SMTP settings from the config and flags; the password from the secrets file or env.
    public static func smtp(config: InspectorConfig, url: String?, from: String?) throws -> SMTPSettings {
        guard let url = url ?? config.mail.smtpURL else { throw Refused(description: "no SMTP server: give --smtp-url or mail.smtp_url") }
        guard let components = URLComponents(string: url), let scheme = components.scheme, ["smtp", "smtps"].contains(scheme),
              let host = components.host else {
            throw Refused(description: "\(url) is not smtp://HOST:PORT or smtps://HOST:PORT")
        }
        var settings = SMTPSettings(url: "\(scheme)://\(host)\(components.port.map { ":\($0)" } ?? "")",
                                    from: from ?? sender(config))
        // Plain SMTP without STARTTLS only to a server on this machine, and only when the URL asks.
        if components.queryItems?.contains(where: { $0.name == "starttls" && $0.value == "no" }) == true {
            guard host == "localhost" || host.hasPrefix("127.") || host == "::1" else {
                throw Refused(description: "starttls=no is only allowed for a server on loopback, not \(host)")
            }
            settings.requireTLS = false
        }
        settings.caFile = config.mail.caFile
        if let source = config.mail.secrets {
            do {
                let secrets = try Secrets.load(source, keys: ["username", "password"]) { ProcessInfo.processInfo.environment }
                settings.username = secrets["username"]
                settings.password = secrets["password"]
            } catch { throw Refused(description: error.description) }
        }
        return settings
    }
}
