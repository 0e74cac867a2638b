import Foundation

/// One level of the escalation chain: who is told, on which occasion of an alert.
public struct EscalationLevel: Sendable, Equatable {
    public enum When: String, Sendable, Equatable, CaseIterable {
        case raised
        case respondOverdue = "respond_overdue"
        case restoreOverdue = "restore_overdue"
    }

    public var name: String
    public var when: When
    /// Channel ids (config `channels:`).
    public var channels: [String]
    public var mail: [String]

    public init(name: String, when: When, channels: [String] = [], mail: [String] = []) {
        self.name = name
        self.when = when
        self.channels = channels
        self.mail = mail
    }
}

/// A chat robot or webhook that alerts, escalations and report notices are posted to.
public struct NotifyChannel: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable { case webhook, wecom, dingtalk }

    public var id: String
    public var kind: Kind
    public var url: String
    /// A file (mode 0600) holding the robot's secret on one line, or env:NAME.
    public var secret: String?
    /// Report notices (a periodic report was written) are posted too; alert events reach the
    /// channels the escalation levels name.
    public var reports = false

    public init(id: String, kind: Kind, url: String, secret: String? = nil) {
        self.id = id
        self.kind = kind
        self.url = url
        self.secret = secret
    }
}

enum NotifyParser {
    /// `escalation:` is the chain; a single name (the shape before chains) is one level told when raised.
    static func escalation(_ value: YAMLValue, channels: [NotifyChannel], mail: MailConfig) throws(ConfigError) -> [EscalationLevel] {
        if case .scalar = value.node { return [EscalationLevel(name: try value.string(), when: .raised)] }
        var levels: [EscalationLevel] = []
        for item in try value.list() {
            let m = try item.mapping(allowed: ["name", "when", "channels", "mail"])
            let level = EscalationLevel(name: try m.required("name").string(),
                                        when: try CardParser.enumValue(try m.required("when"), EscalationLevel.When.self),
                                        channels: try m.optional("channels")?.stringList() ?? [],
                                        mail: try m.optional("mail")?.stringList() ?? [])
            let known = Set(channels.map(\.id))
            for c in level.channels where !known.contains(c) {
                throw (m.optional("channels") ?? item).error("channel \"\(c)\" is not defined under channels: (\(known.sorted().joined(separator: ", ")))")
            }
            for address in level.mail {
                guard address.contains("@"), !address.contains(where: \.isNewline) else { throw item.error("\"\(address)\" is not an email address") }
                guard mail.allows(address) else { throw item.error("recipient \(address) is not in mail.allow") }
            }
            levels.append(level)
        }
        return levels
    }

    static func channels(_ value: YAMLValue) throws(ConfigError) -> [NotifyChannel] {
        var out: [NotifyChannel] = []
        for item in try value.list() {
            let m = try item.mapping(allowed: ["id", "kind", "url", "secret", "reports"])
            let idValue = try m.required("id")
            var c = NotifyChannel(id: try idValue.string(), kind: try CardParser.enumValue(try m.required("kind"), NotifyChannel.Kind.self),
                                  url: try m.required("url").string())
            guard !out.contains(where: { $0.id == c.id }) else { throw idValue.error("duplicate channel id \"\(c.id)\"") }
            guard c.id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), !c.id.isEmpty else {
                throw idValue.error("channel id \"\(c.id)\" may hold letters, digits, - and _ only")
            }
            let url = try m.required("url")
            guard c.url.hasPrefix("https://") || c.url.hasPrefix("http://"), URL(string: c.url)?.host != nil,
                  !c.url.contains(where: \.isNewline) else {
                throw url.error("url \"\(c.url)\" is not an http:// or https:// address")
            }
            if let s = m.optional("secret") { c.secret = try SecretsFile.source(s) }
            c.reports = try m.optional("reports")?.bool() ?? false
            out.append(c)
        }
        return out
    }
}
