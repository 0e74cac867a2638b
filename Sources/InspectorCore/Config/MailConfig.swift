/// The `mail:` section: sender, server, recipients per report kind and severity, allow-list.
public struct MailConfig: Sendable, Equatable {
    public var from: String?
    public var smtpURL: String?
    /// File (0600) or env:PREFIX with username= and password=.
    public var secrets: String?
    public var caFile: String?
    /// Addresses ("boss@example.com") and domains ("example.com"); empty allows anyone.
    public var allow: [String] = []
    /// Report kind ("inspection", "daily", "health", "P1", "P2"...) -> recipients.
    public var recipients: [String: [String]] = [:]
    /// Recipients who get redacted reports (IP addresses and host names masked).
    public var redactFor: [String] = []
    /// The language of the mails the daemon sends (daily and health reports, alerts).
    public var lang: Language = .zh

    public init() {}

    /// True when `address` may receive mail: no allow-list, or its address or domain is listed.
    public func allows(_ address: String) -> Bool {
        guard !allow.isEmpty else { return true }
        let bare = address.lowercased()
        let domain = bare.split(separator: "@").last.map(String.init) ?? ""
        return allow.contains { $0.lowercased() == bare || $0.lowercased() == domain }
    }

    static let keys = ["from", "smtp_url", "secrets", "ca_file", "allow", "recipients", "redact_for", "lang"]
    /// "health" is the monthly and quarterly reports' list where they have none of their own.
    static let kinds = ["inspection", "daily", "health", "weekly", "monthly", "quarterly", "halfyear", "yearly", "P1", "P2", "P3", "P4"]

    /// Who gets a period report of `kind`.
    public func recipients(report kind: ReportKind) -> [String] {
        recipients[kind.rawValue] ?? ([.monthly, .quarterly].contains(kind) ? recipients["health"] ?? [] : [])
    }

    static func parse(_ value: YAMLValue) throws(ConfigError) -> MailConfig {
        let m = try value.mapping(allowed: keys)
        var mail = MailConfig()
        mail.from = try m.optional("from")?.string()
        if let v = m.optional("from"), let from = mail.from {
            // It becomes a header line and the SMTP envelope: a CR or LF would inject others.
            guard !from.contains(where: \.isNewline), from.contains("@") else { throw v.error("from must be one email address on one line") }
        }
        mail.smtpURL = try m.optional("smtp_url")?.string()
        if let v = m.optional("smtp_url"), let url = mail.smtpURL, !(url.hasPrefix("smtp://") || url.hasPrefix("smtps://")) {
            throw v.error("smtp_url \"\(url)\" must start with smtp:// (STARTTLS) or smtps://")
        }
        if let v = m.optional("secrets") {
            mail.secrets = try v.string()
            if let problem = SecretsFile.problem(mail.secrets!) { throw v.error(problem) }
        }
        mail.caFile = try m.optional("ca_file")?.string()
        mail.allow = try m.optional("allow")?.stringList() ?? []
        if let r = m.optional("recipients") {
            for (kind, list) in try r.mapping(allowed: kinds).pairs {
                for item in try list.list() {
                    let address = try item.string()
                    guard address.contains("@"), !address.contains(where: \.isNewline) else { throw item.error("\"\(address)\" is not an email address") }
                    guard mail.allows(address) else { throw item.error("recipient \(address) is not in mail.allow (\(mail.allow.joined(separator: ", ")))") }
                    mail.recipients[kind, default: []].append(address)
                }
            }
        }
        mail.redactFor = try m.optional("redact_for")?.stringList() ?? []
        if let v = m.optional("lang") { mail.lang = try CardParser.enumValue(v, Language.self) }
        return mail
    }
}
