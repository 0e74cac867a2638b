import Foundation
import SNMP

/// An SNMP target address: `snmp://COMMUNITY@HOST:PORT` (v2c), `snmp1://...` (v1),
/// `snmpv3://USER@HOST:PORT?level=authPriv&auth=SHA-256&priv=AES&secrets=FILE`.
/// Secrets (community, passphrases) come from the URL's user part (community only), from a file
/// that is not world-readable (`secrets=/path`: lines `community=`, `auth=`, `priv=`), or from the
/// environment (`secrets=env:PREFIX`: PREFIX_COMMUNITY, PREFIX_AUTH, PREFIX_PRIV).
public struct SNMPAddress: Sendable, Equatable {
    public var endpoint: SNMPEndpoint
    /// Profiles forced by `?profile=a,b`; empty means detect.
    public var profiles: [String] = []
    /// Per-target time budget in seconds (`?budget=`).
    public var budget: Double = 10
    /// The community was written in the URL (snmp://COMMUNITY@HOST), not read from secrets.
    public var inlineCommunity = false

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    static let parameters = ["level", "auth", "priv", "secrets", "context", "timeout", "retries", "max_repetitions",
                             "profile", "budget", "get_batch"]

    /// `environment` is consulted only for `secrets=env:PREFIX` (reading it is not free).
    public static func parse(_ text: String, environment: () -> [String: String] = { ProcessInfo.processInfo.environment }) throws(Invalid) -> SNMPAddress {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw Invalid(description: "not an SNMP URL; expected snmp://COMMUNITY@HOST:PORT or snmpv3://USER@HOST:PORT?...")
        }
        let port = url.port ?? 161
        guard Bounds.port.contains(port) else { throw Invalid(description: "port \(port) is not between 1 and 65535") }
        var e = SNMPEndpoint(host: host, port: UInt16(port))
        switch scheme {
        case "snmp", "snmp2c": e.version = .v2c
        case "snmp1": e.version = .v1
        case "snmpv3", "snmp3": e.version = .v3
        default: throw Invalid(description: "scheme \(scheme) is not SNMP")
        }
        var query: [String: String] = [:]
        for item in url.queryItems ?? [] {
            guard parameters.contains(item.name) else {
                throw Invalid(description: "unknown parameter \"\(item.name)\"; expected one of: \(parameters.joined(separator: ", "))")
            }
            query[item.name] = item.value ?? ""
        }
        var address = SNMPAddress(endpoint: e)
        let secrets = try query["secrets"].map { s throws(Invalid) in try loadSecrets(s, environment: environment) } ?? [:]
        if e.version == .v3 {
            guard let user = url.user, !user.isEmpty else { throw Invalid(description: "snmpv3:// needs a user: snmpv3://USER@HOST") }
            address.endpoint.user = user
            let level = query["level"] ?? (secrets["priv"] != nil ? "authPriv" : secrets["auth"] != nil ? "authNoPriv" : "noAuthNoPriv")
            guard let parsed = SNMPEndpoint.SecurityLevel.allCases.first(where: { $0.rawValue.lowercased() == level.lowercased() }) else {
                throw Invalid(description: "level \(level) is not noAuthNoPriv, authNoPriv or authPriv")
            }
            address.endpoint.level = parsed
            if let auth = query["auth"] {
                guard let p = SNMPEndpoint.AuthProtocol.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(auth) == .orderedSame || $0.rawValue.replacingOccurrences(of: "-", with: "").caseInsensitiveCompare(auth) == .orderedSame }) else {
                    throw Invalid(description: "auth \(auth) is not one of \(SNMPEndpoint.AuthProtocol.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                address.endpoint.authProtocol = p
            }
            if let priv = query["priv"] {
                guard let p = SNMPEndpoint.PrivProtocol.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(priv) == .orderedSame || $0.rawValue.replacingOccurrences(of: "-", with: "").caseInsensitiveCompare(priv) == .orderedSame }) else {
                    throw Invalid(description: "priv \(priv) is not one of \(SNMPEndpoint.PrivProtocol.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                address.endpoint.privProtocol = p
            }
            if parsed != .noAuthNoPriv {
                guard let auth = secrets["auth"] else { throw Invalid(description: "level \(parsed.rawValue) needs an auth passphrase from secrets=FILE or secrets=env:PREFIX") }
                address.endpoint.authPassphrase = auth
            }
            if parsed == .authPriv {
                guard let priv = secrets["priv"] else { throw Invalid(description: "level authPriv needs a priv passphrase from secrets=FILE or secrets=env:PREFIX") }
                address.endpoint.privPassphrase = priv
            }
            address.endpoint.context = query["context"] ?? ""
        } else {
            address.endpoint.community = secrets["community"] ?? url.user ?? "public"
            address.inlineCommunity = secrets["community"] == nil && !(url.user ?? "").isEmpty
        }
        if let v = query["timeout"] { address.endpoint.timeout = try number(v, "timeout", in: Bounds.snmpTimeout) }
        if let v = query["retries"] { address.endpoint.retries = try whole(v, "retries", in: Bounds.snmpRetries) }
        if let v = query["max_repetitions"] { address.endpoint.maxRepetitions = try whole(v, "max_repetitions", in: Bounds.maxRepetitions) }
        if let v = query["get_batch"] { address.endpoint.getBatch = try whole(v, "get_batch", in: Bounds.getBatch) }
        if let v = query["budget"] { address.budget = try number(v, "budget", in: Bounds.snmpBudget) }
        if let v = query["profile"] { address.profiles = v.split(separator: ",").map(String.init) }
        return address
    }

    /// Seconds: "5" or "500ms" as in the config.
    static func number(_ text: String, _ name: String, in range: ClosedRange<Double>) throws(Invalid) -> Double {
        guard let v = parseDuration(text), range.contains(v) else {
            throw Invalid(description: "\(name)=\(text) is not a number of seconds \(Bounds.describe(range))")
        }
        return v
    }

    static func whole(_ text: String, _ name: String, in range: ClosedRange<Int>) throws(Invalid) -> Int {
        guard let v = Int(text), range.contains(v) else {
            throw Invalid(description: "\(name)=\(text) is not a whole number \(Bounds.describe(range))")
        }
        return v
    }

    static func loadSecrets(_ source: String, environment: () -> [String: String]) throws(Invalid) -> [String: String] {
        do { return try Secrets.load(source, keys: ["community", "auth", "priv"], environment: environment) }
        catch { throw Invalid(description: error.description) }
    }
}
