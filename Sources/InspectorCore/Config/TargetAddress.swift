import Foundation
import SNMP

/// A target's address, parsed and checked once, when the config (or `--target`) is read: the
/// scheme is read here and nowhere else, SNMP parameters are in range and their secrets loaded.
public enum TargetAddress: Sendable, Equatable {
    case local
    case snmp(SNMPAddress)
    case http(url: String, https: Bool)
    /// A backup's evidence on this host (config `backups:`; the target carries what to look at).
    case backup
    /// ICMP echo to a host (NET-001).
    case ping(host: String)
    /// A TCP connect to a port (NET-002).
    case tcp(host: String, port: Int)
    /// An address that did not parse (only targets built in code get here; the loader refuses
    /// them): the probe reports the reason.
    case invalid(String)

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public static let schemes = ["snmp", "snmp1", "snmp2c", "snmpv3", "snmp3", "http", "https", "ping", "tcp"]

    public static func parse(_ text: String, environment: () -> [String: String] = { ProcessInfo.processInfo.environment }) throws(Invalid) -> TargetAddress {
        if text == "local" { return .local }
        if text.hasPrefix("backup:") { return .backup }
        guard let colon = text.range(of: "://") else {
            throw Invalid(description: "address \"\(text)\" is not a URL; expected local, snmp://HOST, snmpv3://USER@HOST, http(s)://HOST/PATH, ping://HOST or tcp://HOST:PORT")
        }
        let scheme = text[..<colon.lowerBound].lowercased()
        guard schemes.contains(scheme) else {
            throw Invalid(description: "address scheme \"\(scheme)\" is not supported; expected one of: \(schemes.joined(separator: ", "))")
        }
        guard !text.contains(where: { $0.isASCII && $0.asciiValue! < 0x20 }) else {
            throw Invalid(description: "the address contains a control character (CR, LF, tab...)")
        }
        guard let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
            throw Invalid(description: "address \"\(Credentials.mask(text))\" has no host")
        }
        if let port = url.port, !Bounds.port.contains(port) { throw Invalid(description: "port \(port) is not between 1 and 65535") }
        if scheme.hasPrefix("snmp") {
            do { return .snmp(try SNMPAddress.parse(text, environment: environment)) } catch { throw Invalid(description: error.description) }
        }
        if scheme == "ping" || scheme == "tcp" {
            // Brackets of an IPv6 literal ([::1]) are the URL's, not the address's.
            let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            guard url.path.isEmpty || url.path == "/", url.query == nil, url.user == nil else {
                throw Invalid(description: "\(scheme):// names a host\(scheme == "tcp" ? " and a port" : "") only, without a path, query or user")
            }
            if scheme == "ping" {
                guard url.port == nil else { throw Invalid(description: "ping:// takes no port (ICMP has none); use tcp://HOST:PORT for a port") }
                return .ping(host: bare)
            }
            guard let port = url.port else { throw Invalid(description: "tcp:// needs a port: tcp://HOST:PORT") }
            return .tcp(host: bare, port: port)
        }
        return .http(url: text, https: scheme == "https")
    }

    /// The schemes a card may name in applies_to.
    public static let reachSchemes = ["ping", "tcp"]

    /// "ping" or "tcp" for a reachability target: only the cards that name its scheme apply to it.
    public var reachScheme: String? {
        switch self {
        case .ping: "ping"
        case .tcp: "tcp"
        default: nil
        }
    }

    /// Why the address did not parse, or nil.
    public var problem: String? { if case .invalid(let why) = self { why } else { nil } }

    public var isSNMP: Bool { if case .snmp = self { true } else { false } }
    public var isHTTP: Bool { if case .http = self { true } else { false } }
}
