import Foundation
import InspectorCore
import Probes

/// Targets given on the command line as URLs (`--target snmp://public@10.0.0.5:161#ups-a`).
public enum AdHocTarget {
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    static let kinds: [String: TargetKind] = ["snmp": .host, "snmp1": .host, "snmpv3": .host, "snmp2c": .host, "snmp3": .host, "http": .http, "https": .http]

    public static func parse(_ text: String) throws(Invalid) -> Target {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw Invalid(description: "--target \"\(redacted(text))\" is not a URL; expected snmp://COMMUNITY@HOST:PORT, snmpv3://USER@HOST:PORT?..., or http(s)://HOST/PATH")
        }
        guard let kind = kinds[scheme] else {
            throw Invalid(description: "--target scheme \"\(scheme)\" is not supported; expected one of: \(kinds.keys.sorted().joined(separator: ", "))")
        }
        guard let host = components.host, !host.isEmpty else {
            throw Invalid(description: "--target \"\(redacted(text))\" has no host")
        }
        if let problem = AddressValidation.problem(text) {
            throw Invalid(description: "--target \(redacted(text)): \(problem)")
        }
        let port = components.port.map { ":\($0)" } ?? ""
        // The fragment names the target; else host:port (never the community or user, which are secrets).
        let id = components.fragment.flatMap { $0.isEmpty ? nil : $0 } ?? (kind == .http ? redacted(text) : "\(host)\(port)")
        var address = components
        address.fragment = nil
        return Target(id: id, kind: kind, address: address.string ?? text)
    }

    /// The URL without user, password and fragment, for messages and default ids.
    public static func redacted(_ text: String) -> String { AddressText.redacted(text) }

}
