import Foundation

/// The whole validated configuration. Built only by `ConfigLoader`, so an instance is always valid.
public struct InspectorConfig: Sendable {
    public struct Paths: Sendable, Equatable {
        public var spool: String?
        public var state: String?
        public var templates: String?
        /// Directory of device profiles; default `profiles/` beside the config file.
        public var profiles: String?
    }

    public struct Inspection: Sendable, Equatable {
        /// How long `inspect now` samples /proc/stat for SXKR-001.
        public var cpuWindow: Double = 1.0
        /// Interval between CPU samples within the window.
        public var sampleInterval: Double = 0.25
        /// Hard overall deadline of one run.
        public var deadline: Double = 30
    }

    public struct Schedule: Sendable, Equatable {
        public var interval: Double = 60
        /// Fraction of the interval by which a target's start is spread.
        public var jitter: Double = 0.1
        public var dailyReport: String? = "08:00"
    }

    /// How long history keeps raw samples, 5-minute and hourly roll-ups (seconds).
    public struct Retention: Sendable, Equatable {
        public var raw: Double = 48 * 3600
        public var fiveMinute: Double = 90 * 86400
        public var hourly: Double = 730 * 86400
        public init() {}
    }

    /// `reports:` — which period reports the daemon writes and mails, when, and whether a PDF
    /// is attached (where a PDF engine is installed).
    public struct Reports: Sendable, Equatable {
        public var kinds: [ReportKind] = [.monthly, .quarterly]
        public var at = "08:30"
        public var pdf = true
        public init() {}
    }

    public var file: String
    public var reports = Reports()
    public var retention = Retention()
    public var paths = Paths()
    public var inspection = Inspection()
    public var schedule = Schedule()
    /// The local host target, nil when the config disables it.
    public var local: Target?
    public var targets: [Target] = []
    public var cards: [Card] = []
    public var profiles: [DeviceProfile] = []
    public var maintenance: [MaintenanceWindow] = []
    /// Things that load but deserve attention (a credential written inline), with file:line.
    public var warnings: [String] = []
    public var mail = MailConfig()
    /// `site:` — whose record it is (巡检单位) and whether it carries the 保密 marking.
    public var organisation: String?
    public var confidential = false
    /// The daemon's syslog receiver; nil when the config has no `syslog:` section.
    public var syslog: SyslogConfig?
    /// Who is told of an alert, in order: when raised, when the respond or the restore deadline passes.
    public var escalation: [EscalationLevel] = []
    /// Chat robots and webhooks (`channels:`), by id.
    public var channels: [NotifyChannel] = []
    /// Service-level contracts (`sla:`); targets pick one with the label `sla`.
    public var sla = SLAConfig()
    /// `metrics:` — the Prometheus exposition (listener, textfile); nil when not configured.
    public var metrics: MetricsConfig?
    /// `alertmanager:` — Alertmanagers to post alerts to; nil when not configured.
    public var alertmanager: AlertmanagerConfig?
    /// `history.url` — the shared PostgreSQL the local history is forwarded to.
    public var fleetHistory: FleetHistoryConfig?
    /// `agent.id` — this agent's name in the fleet (default the host name).
    public var agent: String = ProcessInfo.processInfo.hostName
    /// Whether `agent.id` was given (else the host name stands in, and shards add their own part).
    public var agentNamed = false

    /// The id this agent writes under: shards of one host that share the host name as id get
    /// theirs apart (`host.shard-1-of-4`), so each keeps its own place in the fleet history.
    public func agentID(shard: Shard?) -> String {
        guard let shard, !agentNamed else { return agent }
        return "\(agent).shard-\(shard.index)-of-\(shard.count)"
    }
    /// `shard: I/N` — poll only this shard's targets; nil polls them all.
    public var shard: Shard?

    public init(file: String) { self.file = file }

    public func card(_ id: String) -> Card? { cards.first { $0.id == id } }

    /// Each target's labels by id, the local host's included (site, room, sla...).
    public var targetLabels: [String: [String: String]] {
        ([local].compactMap { $0 } + targets).reduce(into: [:]) { $0[$1.id] = $1.labels }
    }

    public func channel(_ id: String) -> NotifyChannel? { channels.first { $0.id == id } }

    /// A card's fault category; the reachability card is the network's.
    public func category(of card: String) -> CardCategory {
        self.card(card)?.category ?? (card == Evaluator.reachability.id ? .network : .other)
    }

    /// The contract of a target (by its `sla` label); the default one for a target no longer configured.
    public func contract(of target: String) -> SLAContract {
        let t = target == local?.id ? local : targets.first { $0.id == target }
        return sla.contract(labels: t?.labels ?? [:])
    }

    public func inMaintenance(_ target: String, at date: Date) -> Bool {
        maintenance.contains { $0.covers(target, at: date) }
    }
}
