import Foundation
import Spool

/// spool/channels: posts for chat robots and webhooks, queued in new/ under "EVENT.CHANNEL.json"
/// (so one event reaches one channel once: a second queue of the same name is refused by the
/// maildir), moved to sent/ when the receiver took them and to failed/ with its answer when it
/// refused them. A receiver that is down or answers 5xx is tried again with back-off (15 s,
/// 30 s, 1 min... at most 1 h). Sent posts are kept 8 days.
public struct ChannelOutbox: Sendable {
    public let maildir: Maildir
    var sentDirectory: String { "\(maildir.path)/sent" }
    public var failedDirectory: String { "\(maildir.path)/failed" }
    var statePath: String { "\(maildir.path)/retry.json" }

    public init(spool: String) { maildir = Maildir("\(spool)/channels") }

    /// One post: the channel it is for and the body as that channel's kind wants it.
    public struct Post: Codable, Sendable, Equatable {
        public var channel: String
        public var kind: String
        /// The event or report notice it carries.
        public var subject: String
        public var body: String

        public init(channel: String, kind: String, subject: String, body: String) {
            self.channel = channel
            self.kind = kind
            self.subject = subject
            self.body = body
        }

        public var fileName: String { "\(subject).\(channel).json".replacingOccurrences(of: "/", with: "_") }
    }

    /// Where and how a channel is reached when a post is sent (the config in force then).
    public struct Destination: Sendable {
        public var url: String
        public var robot: Bool
        public var secret: String?

        public init(url: String, robot: Bool, secret: String?) {
            self.url = url
            self.robot = robot
            self.secret = secret
        }
    }

    /// Queues a post; false when it was queued before (exactly once per subject and channel).
    @discardableResult
    public func queue(_ post: Post) throws(SpoolError) -> Bool {
        try maildir.prepare()
        let name = post.fileName
        let known = [maildir.newDirectory, sentDirectory, failedDirectory].contains { FileManager.default.fileExists(atPath: "\($0)/\(name)") }
        guard !known else { return false }
        let data = (try? JSONEncoder().encode(post)) ?? Data()
        _ = try maildir.deliver(data, name: name)
        return true
    }

    public struct Result: Sendable {
        public var sent: [String] = []
        public var queued: [(String, String)] = []
        public var failed: [(String, String)] = []
    }

    /// Tries every post that is due at `now`. `destination(channel)` is nil for a channel the
    /// config no longer has, and throws when its secret cannot be read (the post waits).
    public func flush(now: Date, poster: WebhookPoster, destination: (String) throws -> Destination?,
                      sign: (Destination) -> String = { d in d.secret.map { RobotSignature.dingTalkURL(d.url, secret: $0, at: Date()) } ?? d.url })
        throws(SpoolError) -> Result {
        try maildir.prepare()
        for dir in [sentDirectory, failedDirectory] { try AtomicFile.makeDirectory(dir) }
        var retries = RetryLedger(path: statePath, base: 15, cap: 3600)
        var result = Result()
        for name in maildir.pending() {
            if retries.waiting(name, at: now) { continue }
            let path = "\(maildir.newDirectory)/\(name)"
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            guard let post = try? JSONDecoder().decode(Post.self, from: data) else {
                try Maildir.move(path, to: "\(failedDirectory)/\(name)", reason: "not a post this version can read")
                result.failed.append((name, "unreadable"))
                continue
            }
            let outcome: PostOutcome
            do {
                if let d = try destination(post.channel) {
                    outcome = poster.post(Data(post.body.utf8), to: sign(d), robot: d.robot)
                } else {
                    outcome = .refused("channel \(post.channel) is no longer in the config")
                }
            } catch {
                outcome = .retry("\(error)")
            }
            switch outcome {
            case .delivered:
                try Maildir.move(path, to: "\(sentDirectory)/\(name)", reason: nil)
                retries.forget(name)
                result.sent.append(name)
            case .refused(let why):
                try Maildir.move(path, to: "\(failedDirectory)/\(name)", reason: why)
                retries.forget(name)
                result.failed.append((name, why))
            case .retry(let why):
                retries.failed(name, at: now, reason: why)
                result.queued.append((name, why))
            }
        }
        try retries.save(keeping: Set(maildir.pending()))
        pruneSent(before: now.addingTimeInterval(-8 * 86400))
        return result
    }

    /// When the next post is due (nil: nothing queued); what the daemon waits for.
    public func nextDue() -> Date? {
        let pending = maildir.pending()
        guard !pending.isEmpty else { return nil }
        let retries = RetryLedger(path: statePath, base: 15, cap: 3600)
        return pending.map { retries.entries[$0]?.next ?? .distantPast }.min()
    }

    func pruneSent(before cutoff: Date) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sentDirectory)) ?? []
        for name in names {
            let path = "\(sentDirectory)/\(name)"
            if let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < cutoff {
                unlink(path)
            }
        }
    }
}

/// A channel secret: a file (mode 0600) holding it on one line, or env:NAME.
public enum ChannelSecret {
    public struct Problem: Error, CustomStringConvertible { public var description: String }

    public static func read(_ source: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(Problem) -> String {
        if source.hasPrefix("env:") {
            let name = String(source.dropFirst(4))
            guard let value = environment[name], !value.isEmpty else { throw Problem(description: "\(name) is not in the environment") }
            return value
        }
        guard let text = try? String(contentsOfFile: source, encoding: .utf8) else { throw Problem(description: "secret file \(source) cannot be read") }
        let line = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !line.isEmpty else { throw Problem(description: "secret file \(source) is empty") }
        return line
    }
}
