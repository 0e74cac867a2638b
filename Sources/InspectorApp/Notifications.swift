import Foundation
import InspectorCore
import Mail
import Notify
import Reports
import Spool

/// Who hears of an alert event: the escalation levels it names (config `escalation`), through
/// their chat channels and mail, besides the mail recipients of its severity. Posts and mail go
/// through outboxes (spool/channels, spool/outbox) named after the event, so each event reaches
/// each channel and mailbox once.
public enum Notifications {
    /// The levels an event is told to, from its `escalation` field.
    static func levels(of e: AlertEvent, config: InspectorConfig) -> [EscalationLevel] {
        let names = (e.escalation ?? "").components(separatedBy: ", ").filter { !$0.isEmpty }
        return config.escalation.filter { names.contains($0.name) }
    }

    /// Queues mail and posts for one event. Level changes (`updated`) are not announced.
    public static func queue(_ e: AlertEvent, config: InspectorConfig, spool: String, templates: ReportTemplates) throws {
        guard e.state != .updated else { return }
        let levels = levels(of: e, config: config)
        try ReportMail.queue(e, config: config, spool: spool, templates: templates, extra: levels.flatMap(\.mail))
        let channels = Set(levels.flatMap(\.channels)).sorted().compactMap { config.channel($0) }
        guard !channels.isEmpty else { return }
        let lang = config.mail.lang
        let title = AlertMail.subject(e, lang: lang)
        let lines = AlertMail.render(e, format: .text, lang: lang, templates: templates)
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty }.dropFirst()
        let document = (try? DaemonStateFile.encoder.encode(e)) ?? Data()
        let outbox = ChannelOutbox(spool: spool)
        for c in channels {
            let body = RobotPayload.body(kind: c.kind, title: title, lines: Array(lines), document: document)
            try outbox.queue(.init(channel: c.id, kind: c.kind.rawValue, subject: e.id, body: body))
        }
    }

    /// A notice that a periodic report was written, for the channels with `reports: true`.
    public static func queueReportNotice(name: String, title: String, lines: [String], document: Data, config: InspectorConfig,
                                         spool: String) throws {
        let outbox = ChannelOutbox(spool: spool)
        for c in config.channels where c.reports {
            try outbox.queue(.init(channel: c.id, kind: c.kind.rawValue, subject: name,
                                   body: RobotPayload.body(kind: c.kind, title: title, lines: lines, document: document)))
        }
    }

    /// Where a channel's posts go now, with its secret read (nil: no longer configured).
    public static func destination(_ id: String, config: InspectorConfig) throws -> ChannelOutbox.Destination? {
        guard let c = config.channel(id) else { return nil }
        let secret = try c.secret.map { try ChannelSecret.read($0) }
        return .init(url: c.url, robot: c.kind != .webhook, secret: c.kind == .dingtalk ? secret : nil)
    }
}
