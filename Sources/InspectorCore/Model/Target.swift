/// What kind of thing a target is; cards apply by kind.
public enum TargetKind: String, Sendable, CaseIterable, Codable {
    case host, ups, `switch`, sensor, pdu, http
    /// A backup (config `backups:`), judged by BAK-001.
    case backup
    /// A precision air conditioner (精密空调), judged by AC-001/AC-002.
    case cooling
    /// A machine room itself (label `room`), for the manual items of the room round.
    case room
}

/// A per-target replacement of a card's limits ("this database server may fill its disk to 95 %").
public struct ThresholdOverride: Sendable, Equatable {
    public var card: String
    /// Restricts the override to one metric of the card; nil means every numeric check.
    public var metric: String?
    public var stat: Statistic?
    public var thresholds: Thresholds

    public init(card: String, metric: String? = nil, stat: Statistic? = nil, thresholds: Thresholds) {
        self.card = card
        self.metric = metric
        self.stat = stat
        self.thresholds = thresholds
    }
}

/// Settings of the local-host probe that the config supplies (SRV-003).
public struct HostSettings: Sendable, Equatable {
    public var requiredProcesses: [String]
    public var forbiddenProcesses: [String]
    /// Mount points that must be mounted read-write; a read-only remount is abnormal.
    public var readWriteMounts: [String]

    public init(requiredProcesses: [String] = [], forbiddenProcesses: [String] = [],
                readWriteMounts: [String] = ["/"]) {
        self.requiredProcesses = requiredProcesses
        self.forbiddenProcesses = forbiddenProcesses
        self.readWriteMounts = readWriteMounts
    }
}

/// One thing to inspect: the local host, a UPS, a switch, a sensor, a URL.
public struct Target: Sendable, Equatable {
    public var id: String
    public var kind: TargetKind
    /// "local" for this host, else a URL (snmp://, snmpv3://, http://, https://, ping://, tcp://), as written.
    public var address: String { didSet { endpoint = Target.endpoint(address) } }
    /// The address parsed, once: what the probes use.
    public private(set) var endpoint: TargetAddress
    public var labels: [String: String]
    public var overrides: [ThresholdOverride]
    public var host: HostSettings
    /// Seconds between polls in the daemon; nil uses the schedule default.
    public var interval: Double?
    /// Plain "this OID, this scale, this unit" metrics of an SNMP target, beside its profiles.
    public var metrics: [ProfileMetric] = []
    /// How an HTTP target is checked.
    public var http = HTTPSettings()
    /// How a ping:// or tcp:// target is checked.
    public var reach = ReachSettings()
    /// What a backup target looks at (config `backups:`).
    public var backup: BackupCheck?
    /// Ports of a switch that are down on purpose.
    public var ports = PortSettings()
    /// The addresses a network device sends syslog from, when not its SNMP address (a loopback
    /// or management interface); empty: the SNMP address.
    public var syslogFrom: [String] = []

    /// `endpoint`: the address already parsed (by the config loader); nil parses it here.
    public init(id: String, kind: TargetKind, address: String, endpoint: TargetAddress? = nil, labels: [String: String] = [:],
                overrides: [ThresholdOverride] = [], host: HostSettings = HostSettings(),
                interval: Double? = nil) {
        self.id = id
        self.kind = kind
        self.address = address
        self.endpoint = endpoint ?? Target.endpoint(address)
        self.labels = labels
        self.overrides = overrides
        self.host = host
        self.interval = interval
    }

    static func endpoint(_ address: String) -> TargetAddress {
        do { return try TargetAddress.parse(address) } catch { return .invalid(error.description) }
    }

    public var isLocal: Bool { endpoint == .local }

    /// An SNMP target left as `host` (the default): the profiles detected at its first poll decide
    /// its kind, and so the cards that apply.
    public var isUndeclaredSNMP: Bool { kind == .host && endpoint.isSNMP }
}
