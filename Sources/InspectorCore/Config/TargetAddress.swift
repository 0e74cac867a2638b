import Foundation
import SNMP

/// A target's address, parsed and checked once, when the config (or `--target`) is read: the
/// scheme is read here and nowhere else, SNMP parameters are in range and their secrets loaded.
public enum TargetAddress: Sendable, Equatable {
    case local
    case snmp(SNMPAddress)
    case http(url: String, https: Bool)
    /// An address that did not parse (only targets built in code get here; the loader refuses
    /// them): the probe reports the reason.
    case invalid(String)

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public static let schemes = ["snmp", "snmp1", "snmp2c", "snmpv3", "snmp3", "http", "https"]

    public static func parse(_ text: String, environment: () -> [String: String] = { ProcessInfo.processInfo.environment }) throws(Invalid) -> TargetAddress {
        if text == "local" { return .local }
        guard let colon = text.range(of: "://") else {
            throw Invalid(description: "address \"\(text)\" is not a URL; expected local, snmp://HOST, snmpv3://USER@HOST or http(s)://HOST/PATH")
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
        return .http(url: text, https: scheme == "https")
    }

    /// Why the address did not parse, or nil.
    public var problem: String? { if case .invalid(let why) = self { why } else { nil } }

    public var isSNMP: Bool { if case .snmp = self { true } else { false } }
    public var isHTTP: Bool { if case .http = self { true } else { false } }
}
