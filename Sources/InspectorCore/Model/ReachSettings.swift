/// How a ping:// or tcp:// target is checked (NET-001, NET-002). Defaults follow ping(8) and
/// monitoring-plugins' check_ping/check_tcp closely enough to compare with them.
public struct ReachSettings: Sendable, Equatable {
    /// Echo requests per poll (ping).
    public var count = 5
    /// Seconds between echo requests.
    public var interval = 0.2
    /// Seconds to wait: for replies after the last echo request; for a TCP connect, and again for the greeting.
    public var timeout = 2.0
    /// tcp: a regular expression the service's first words must match ("^SSH-2\\.0", "^220 ").
    public var banner: String?
    /// tcp: make a TLS handshake and read the server certificate (its expiry is judged by WEB-003).
    public var tls = false
    public var tlsVerify = true
    public var caFile: String?

    public init() {}
}
