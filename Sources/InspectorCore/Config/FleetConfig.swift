import Foundation

/// `metrics:` — the Prometheus exposition: an HTTP listener and/or a textfile for node_exporter.
public struct MetricsConfig: Sendable, Equatable {
    /// host:port to serve /metrics on; nil when only the textfile (or nothing) is wanted.
    public var listen: ListenAddress?
    /// Written atomically after each poll batch, for node_exporter's textfile collector.
    public var textfile: String?
    /// Basic auth: the user, and a secrets source (file 0600 or env:PREFIX) with `password=`.
    public var user: String?
    public var secrets: String?
    public init() {}
}

/// An address to listen on. A bare port (":9273" or "9273") means loopback: anything else must
/// be written out in full, so a listener is never opened to the network by accident.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    public static func parse(_ text: String) -> ListenAddress? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let port = UInt16(trimmed) { return ListenAddress(host: "127.0.0.1", port: port) }
        guard let colon = trimmed.lastIndex(of: ":"), let port = UInt16(trimmed[trimmed.index(after: colon)...]) else { return nil }
        var host = String(trimmed[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "127.0.0.1" }
        return ListenAddress(host: host, port: port)
    }

    public var isLoopback: Bool { host == "localhost" || host == "::1" || host.hasPrefix("127.") }
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// `alertmanager:` — where the daemon posts its alerts (API v2) and how often it re-sends them.
public struct AlertmanagerConfig: Sendable, Equatable {
    public var urls: [String] = []
    /// Every active alert is sent again this often (Alertmanager keeps nothing across restarts).
    public var resend: Double = 60
    public init() {}
}

/// `history: {url: postgres://...}` — the shared fleet history the local SQLite forwards to.
public struct FleetHistoryConfig: Sendable, Equatable {
    /// A libpq connection URI without a password.
    public var url: String
    /// A secrets source (file 0600 or env:PREFIX) holding `password=`, if the server wants one.
    public var secrets: String?
    /// How often what the local history holds beyond the fleet's cursors is forwarded.
    public var forward: Double = FleetHistoryConfig.defaultForward
    public static let defaultForward: Double = 10
    public init(url: String, secrets: String? = nil) {
        self.url = url
        self.secrets = secrets
    }
}

/// `shard: I/N` — this agent polls only the targets hashed to shard I of N.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, (0..<count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// "1/4" -> index 1 of 4 shards (0-based, as Prometheus' hashmod).
    public static func parse(_ text: String) -> Shard? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let n = Int(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
        return Shard(index: i, count: n)
    }

    /// Whether this shard polls a target whose id hashes to `hash`, kept by `replicas` shards:
    /// the shards hash mod N, hash+1 mod N, … (replicas of them, at most N).
    public func owns(hash: UInt64, replicas: Int) -> Bool {
        let first = Int(hash % UInt64(count))
        return (0..<min(max(1, replicas), count)).contains { (first + $0) % count == index }
    }

    public var description: String { "\(index)/\(count)" }

    /// The label by which a target asks to be polled by more than one shard.
    public static let replicasLabel = "replicas"
}

enum FleetParser {
    static func metrics(_ value: YAMLValue) throws(ConfigError) -> MetricsConfig {
        let m = try value.mapping(allowed: ["listen", "textfile", "user", "secrets"])
        var config = MetricsConfig()
        if let v = m.optional("listen") {
            let text = try v.string()
            guard let address = ListenAddress.parse(text) else { throw v.error("expected host:port or a port, found \"\(text)\"") }
            config.listen = address
        }
        config.textfile = try m.optional("textfile")?.string()
        config.user = try m.optional("user")?.string()
        config.secrets = try m.optional("secrets").map { v throws(ConfigError) in try SecretsFile.source(v) }
        guard (config.user == nil) == (config.secrets == nil) else {
            throw value.error("basic auth needs both user and secrets (a file of mode 0600 with password=, or env:PREFIX)")
        }
        return config
    }

    static func alertmanager(_ value: YAMLValue) throws(ConfigError) -> AlertmanagerConfig {
        let m = try value.mapping(allowed: ["urls", "resend"])
        var config = AlertmanagerConfig()
        guard let list = m.optional("urls") else { throw value.error("alertmanager needs urls: [http://host:9093, ...]") }
        for item in try list.list() {
            let url = try item.string()
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw item.error("expected an http(s) URL of an Alertmanager, found \"\(url)\"")
            }
            config.urls.append(url.hasSuffix("/") ? String(url.dropLast()) : url)
        }
        guard !config.urls.isEmpty else { throw list.error("alertmanager urls is empty") }
        if let v = m.optional("resend") { config.resend = try v.duration(in: 5...3600) }
        return config
    }

    static func fleetHistory(url value: YAMLValue, secrets: YAMLValue?, forward: YAMLValue?) throws(ConfigError) -> FleetHistoryConfig {
        let url = try value.string()
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw value.error("history url must be a postgres:// URL, found \"\(url)\"")
        }
        if let parsed = URL(string: url), parsed.password != nil {
            throw value.error("history url carries a password; put it in a secrets file (mode 0600, password=) named by history.secrets")
        }
        var config = FleetHistoryConfig(url: url, secrets: try secrets.map { v throws(ConfigError) in try SecretsFile.source(v) })
        if let forward { config.forward = try forward.duration(in: 0.5...600) }
        return config
    }

    /// `agent: {id: NAME}`: letters, digits, '.', '-' and '_' (it becomes a key in the fleet history).
    static func agentID(_ value: YAMLValue) throws(ConfigError) -> String? {
        let m = try value.mapping(allowed: ["id"])
        guard let v = m.optional("id") else { return nil }
        let id = try v.string()
        guard !id.isEmpty, id.count <= 64, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw v.error("agent id \"\(id)\" must be 1-64 of letters, digits, '.', '-' and '_'")
        }
        return id
    }

    static func shard(_ value: YAMLValue) throws(ConfigError) -> Shard {
        let text = try value.string()
        guard let shard = Shard.parse(text) else { throw value.error("expected shard I/N with 0 <= I < N, e.g. 0/4, found \"\(text)\"") }
        return shard
    }
}
