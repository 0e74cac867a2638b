import Foundation
import Spool

/// spool/outbox: queued messages in new/, delivered ones moved to sent/, refused ones to failed/
/// with the server's answer beside them. A temporary failure leaves the message queued and
/// backs off (1, 2, 4... minutes, at most 6 hours). A crash after the server accepted a message
/// but before it was moved sends it once more, with the same Message-ID.
public struct Outbox: Sendable {
    public let maildir: Maildir
    var sentDirectory: String { "\(maildir.path)/sent" }
    var failedDirectory: String { "\(maildir.path)/failed" }
    var statePath: String { "\(maildir.path)/retry.json" }

    public init(spool: String) { maildir = Spool(root: spool).outbox }

    /// Queues a message under its Message-ID (which starts with the run's UTC stamp, so names
    /// sort by time); queuing the same report twice keeps one message.
    @discardableResult
    public func queue(_ message: MailMessage) throws(SpoolError) -> String {
        let id = message.messageID.trimmingCharacters(in: CharacterSet(charactersIn: "<>")).replacingOccurrences(of: "/", with: "_")
        return try maildir.deliver(message.rendered(), name: "\(id).eml")
    }

    public struct Result: Sendable {
        public var sent: [String] = []
        public var queued: [(String, String)] = []    // name, reason
        public var failed: [(String, String)] = []
        public var waiting: [String] = []              // backing off, not tried now
    }

    /// Tries every queued message that is due; `now` after an operator's `inspect mail`, which
    /// tries everything regardless of back-off.
    public func flush(with sender: SMTPSender, now: Date = Date(), ignoringBackoff: Bool = false) throws(SpoolError) -> Result {
        try maildir.prepare()
        for dir in [sentDirectory, failedDirectory] { try AtomicFile.makeDirectory(dir) }
        var retries = RetryLedger(path: statePath, base: 60, cap: 21_600)
        var result = Result()
        for name in maildir.pending() {
            if retries.waiting(name, at: now), !ignoringBackoff { result.waiting.append(name); continue }
            let path = "\(maildir.newDirectory)/\(name)"
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let (from, to) = Outbox.envelope(data)
            guard let from, !to.isEmpty else {
                try Maildir.move(path, to: "\(failedDirectory)/\(name)", reason: "no From or To header")
                result.failed.append((name, "no From or To header"))
                continue
            }
            switch sender.send(data, from: from, to: to) {
            case .sent:
                try Maildir.move(path, to: "\(sentDirectory)/\(name)", reason: nil)
                retries.forget(name)
                result.sent.append(name)
            case .permanent(let why):
                try Maildir.move(path, to: "\(failedDirectory)/\(name)", reason: why)
                retries.forget(name)
                result.failed.append((name, why))
            case .temporary(let why):
                retries.failed(name, at: now, reason: why)
                result.queued.append((name, why))
            }
        }
        try retries.save(keeping: Set(maildir.pending()))
        return result
    }

    /// From and To addresses from the message's own headers (written by MailMessage).
    static func envelope(_ data: Data) -> (String?, [String]) {
        let head = String(decoding: data.prefix(16_384), as: UTF8.self).components(separatedBy: "\r\n\r\n").first ?? ""
        var from: String?, to: [String] = []
        var current = ""
        for raw in head.components(separatedBy: "\r\n") + [""] {
            if raw.hasPrefix(" ") || raw.hasPrefix("\t") { current += raw; continue }
            if current.hasPrefix("From:") { from = MailMessage.bareAddress(String(current.dropFirst(5))) }
            if current.hasPrefix("To:") {
                to = current.dropFirst(3).split(separator: ",").map { MailMessage.bareAddress(String($0)) }.filter { $0.contains("@") }
            }
            current = raw
        }
        return (from, to)
    }
}
