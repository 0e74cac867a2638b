import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `syslog:` — where the daemon receives network devices' syslog (SXKR-006 on switches,
/// routers and firewalls). Absent: no receiver, and those cards say reception is off.
public struct SyslogConfig: Sendable, Equatable {
    /// An IP address of this host; loopback unless the config names another.
    public var host = "127.0.0.1"
    /// 514 is the standard port; it needs CAP_NET_BIND_SERVICE, so the default is above 1024.
    public var port: UInt16 = 5514
    public var udp = true
    public var tcp = true
    /// Messages per second read from one source; the rest are counted as dropped.
    public var rateLimit: Double = 100
    /// Messages one source may send at once above the rate.
    public var burst: Double = 200

    public init() {}

    static let keys = ["listen", "protocols", "rate_limit", "burst"]

    static func parse(_ value: YAMLValue) throws(ConfigError) -> SyslogConfig {
        var c = SyslogConfig()
        let m = try value.mapping(allowed: keys)
        if let v = m.optional("listen") {
            let text = try v.string()
            guard let (host, port) = splitHostPort(text), isIPAddress(host) else {
                throw v.error("listen is an IP address and a port, e.g. 127.0.0.1:5514 or [::1]:5514; found \"\(text)\"")
            }
            guard Bounds.port.contains(port) else { throw v.error("port \(port) is not \(Bounds.describe(Bounds.port))") }
            c.host = host
            c.port = UInt16(port)
        }
        if let v = m.optional("protocols") {
            let list = try v.stringList()
            guard !list.isEmpty, list.allSatisfy({ ["udp", "tcp"].contains($0) }) else {
                throw v.error("protocols is a list of udp and tcp; found \(list)")
            }
            c.udp = list.contains("udp")
            c.tcp = list.contains("tcp")
        }
        if let v = m.optional("rate_limit") { c.rateLimit = try v.double(in: 1...1_000_000) }
        if let v = m.optional("burst") { c.burst = try v.double(in: 1...1_000_000) }
        return c
    }

    /// "10.0.0.1:514" or "[fe80::1]:514".
    static func splitHostPort(_ text: String) -> (String, Int)? {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()) else { return nil }
            return (String(text[text.index(after: text.startIndex)..<close]), port)
        }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return nil }
        return (String(text[..<colon]), port)
    }
}

/// True for an IPv4 or IPv6 address literal (no name lookup).
public func isIPAddress(_ text: String) -> Bool {
    var v4 = in_addr(), v6 = in6_addr()
    return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
}
