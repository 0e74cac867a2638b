/// Where and how to reach an agent. Secrets live here only in memory; `description` never shows them.
public struct SNMPEndpoint: Sendable, Equatable, CustomStringConvertible {
    public enum Version: String, Sendable { case v1, v2c, v3 }
    public enum SecurityLevel: String, Sendable, CaseIterable { case noAuthNoPriv, authNoPriv, authPriv }
    public enum AuthProtocol: String, Sendable, CaseIterable {
        case md5 = "MD5", sha = "SHA", sha224 = "SHA-224", sha256 = "SHA-256", sha384 = "SHA-384", sha512 = "SHA-512"
    }
    public enum PrivProtocol: String, Sendable, CaseIterable {
        case des = "DES", aes = "AES", aes192 = "AES-192", aes256 = "AES-256"
    }

    public var host: String
    public var port: UInt16
    public var version: Version
    public var community: String
    public var user: String
    public var level: SecurityLevel
    public var authProtocol: AuthProtocol
    public var authPassphrase: String
    public var privProtocol: PrivProtocol
    public var privPassphrase: String
    public var context: String
    /// Per request, in seconds (net-snmp wants microseconds).
    public var timeout: Double
    public var retries: Int
    /// GETBULK max-repetitions.
    public var maxRepetitions: Int
    /// Varbinds per GET request.
    public var getBatch: Int

    public init(host: String, port: UInt16 = 161, version: Version = .v2c, community: String = "public",
                user: String = "", level: SecurityLevel = .noAuthNoPriv, authProtocol: AuthProtocol = .sha,
                authPassphrase: String = "", privProtocol: PrivProtocol = .aes, privPassphrase: String = "",
                context: String = "", timeout: Double = 1, retries: Int = 1, maxRepetitions: Int = 25, getBatch: Int = 30) {
        self.host = host
        self.port = port
        self.version = version
        self.community = community
        self.user = user
        self.level = level
        self.authProtocol = authProtocol
        self.authPassphrase = authPassphrase
        self.privProtocol = privProtocol
        self.privPassphrase = privPassphrase
        self.context = context
        self.timeout = timeout
        self.retries = retries
        self.maxRepetitions = maxRepetitions
        self.getBatch = getBatch
    }

    /// "udp:127.0.0.1:1161 v2c" or "... v3 user alice authPriv": no community, no passphrases.
    public var description: String {
        let peer = host.contains(":") ? "udp6:[\(host)]:\(port)" : "udp:\(host):\(port)"
        return version == .v3 ? "\(peer) v3 user \(user) \(level.rawValue)" : "\(peer) \(version.rawValue)"
    }

    var peerName: String { host.contains(":") ? "udp6:[\(host)]:\(port)" : "udp:\(host):\(port)" }
}

/// What went wrong talking to an agent; each case says what the user can check.
public enum SNMPError: Error, Sendable, Equatable, CustomStringConvertible {
    case timeout(String)
    case authentication(String)
    case sessionOpen(String)
    case agentError(status: String, oid: String)
    case nonIncreasing(String)
    case budgetExceeded(Double)
    case other(String)

    public var description: String {
        switch self {
        case .timeout(let peer): "timeout: no answer from \(peer) (agent down, filtered, or wrong community)"
        case .authentication(let why): "SNMPv3 authentication failed: \(why) (check user, protocols and passphrases)"
        case .sessionOpen(let why): "cannot open an SNMP session: \(why)"
        case .agentError(let status, let oid): "agent answered \(status) for \(oid)"
        case .nonIncreasing(let oid): "agent returned a non-increasing OID after \(oid); walk stopped"
        case .budgetExceeded(let seconds): "time budget of \(seconds) s exhausted"
        case .other(let why): why
        }
    }
}
