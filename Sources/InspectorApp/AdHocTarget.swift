import Foundation
import InspectorCore
import Probes

/// Targets given on the command line as URLs (`--target snmp://public@10.0.0.5:161#ups-a`).
public enum AdHocTarget {
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String) throws(Invalid) -> Target {
        let endpoint: TargetAddress
        do { endpoint = try TargetAddress.parse(text) } catch {
            throw Invalid(description: "--target \(redacted(text)): \(error.description)")
        }
        guard endpoint != .local, let components = URLComponents(string: text), let host = components.host else {
            throw Invalid(description: "--target \"\(redacted(text))\" is not a URL; expected snmp://COMMUNITY@HOST:PORT, snmpv3://USER@HOST:PORT?..., or http(s)://HOST/PATH")
        }
        let kind: TargetKind = endpoint.isHTTP ? .http : .host
        let port = components.port.map { ":\($0)" } ?? ""
        // The fragment names the target; else host:port (never the community or user, which are secrets).
        let id = components.fragment.flatMap { $0.isEmpty ? nil : $0 } ?? (kind == .http ? redacted(text) : "\(host)\(port)")
        var address = components
        address.fragment = nil
        return Target(id: id, kind: kind, address: address.string ?? text, endpoint: endpoint)
    }

    /// The URL without user, password and fragment, for messages and default ids.
    public static func redacted(_ text: String) -> String { AddressText.redacted(text) }

}
