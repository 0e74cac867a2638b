import Foundation

/// One alert event, as written to spool/events (schema `inspect.event/1`).
public struct AlertEvent: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable { case raised, updated, flapping, cleared, acknowledged, escalated }

    public static let schema = "inspect.event/1"

    public var schema = AlertEvent.schema
    /// Unique per event; also the spool file's name, so a re-delivery is recognisable.
    public var id: String
    /// The same for every event of one alert (raised, updated..., cleared).
    public var dedupKey: String
    public var state: State
    public var card: String
    public var target: String
    public var instance: String
    public var item: String
    public var severity: Severity
    public var level: Level
    public var measured: String
    public var limit: String
    public var reason: String?
    public var detectedAt: Date
    public var firstAbnormalAt: Date
    public var clearedAt: Date?
    /// When service must be restored: detected_at plus the contract's restore deadline for the
    /// severity, in its service hours (standard: P1 2 h, P2 4 h, P3 12 h); nil without one (P4).
    public var slaDueAt: Date?
    /// The escalation levels (config `escalation`) this event is told to, joined by ", ".
    public var escalation: String?
    /// Additive fields (inspect.event/1 readers ignore what they do not know):
    /// when someone must respond (acknowledge), and the contract both deadlines come from.
    public var respondDueAt: Date?
    public var sla: String?
    /// Who acknowledged, and their note (acknowledged events); the level told (escalated events).
    public var by: String?
    public var note: String?
    /// When this event happened (raised: detection; acknowledged, escalated, cleared: then).
    public var at: Date?
    public var remedy: String?
    /// The item, reason and remedy in Chinese (the fields above are English), for zh mails and reports.
    public var zh: Texts?

    public struct Texts: Sendable, Codable, Equatable {
        public var item: String
        public var reason: String?
        public var remedy: String?

        public init(item: String, reason: String?, remedy: String?) {
            self.item = item
            self.reason = reason
            self.remedy = remedy
        }
    }

    enum CodingKeys: String, CodingKey {
        case schema, id, state, card, target, instance, item, severity, level, measured, limit, reason, escalation, remedy, zh
        case dedupKey = "dedup_key", detectedAt = "detected_at", firstAbnormalAt = "first_abnormal_at"
        case clearedAt = "cleared_at", slaDueAt = "sla_due_at"
        case respondDueAt = "respond_due_at", sla, by, note, at
    }

    public init(id: String, dedupKey: String, state: State, card: String, target: String, instance: String, item: String,
                severity: Severity, level: Level, measured: String, limit: String, reason: String?, detectedAt: Date,
                firstAbnormalAt: Date, clearedAt: Date?, slaDueAt: Date?, escalation: String?, remedy: String?, zh: Texts? = nil,
                respondDueAt: Date? = nil, sla: String? = nil, by: String? = nil, note: String? = nil, at: Date? = nil) {
        self.id = id
        self.dedupKey = dedupKey
        self.state = state
        self.card = card
        self.target = target
        self.instance = instance
        self.item = item
        self.severity = severity
        self.level = level
        self.measured = measured
        self.limit = limit
        self.reason = reason
        self.detectedAt = detectedAt
        self.firstAbnormalAt = firstAbnormalAt
        self.clearedAt = clearedAt
        self.slaDueAt = slaDueAt
        self.escalation = escalation
        self.remedy = remedy
        self.zh = zh
        self.respondDueAt = respondDueAt
        self.sla = sla
        self.by = by
        self.note = note
        self.at = at
    }

    /// Every field is written, absent ones as null, so that consumers see one shape.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(id, forKey: .id)
        try c.encode(dedupKey, forKey: .dedupKey)
        try c.encode(state, forKey: .state)
        try c.encode(card, forKey: .card)
        try c.encode(target, forKey: .target)
        try c.encode(instance, forKey: .instance)
        try c.encode(item, forKey: .item)
        try c.encode(severity, forKey: .severity)
        try c.encode(level, forKey: .level)
        try c.encode(measured, forKey: .measured)
        try c.encode(limit, forKey: .limit)
        try c.encode(reason, forKey: .reason)
        try c.encode(detectedAt, forKey: .detectedAt)
        try c.encode(firstAbnormalAt, forKey: .firstAbnormalAt)
        try c.encode(clearedAt, forKey: .clearedAt)
        try c.encode(slaDueAt, forKey: .slaDueAt)
        try c.encode(escalation, forKey: .escalation)
        try c.encode(remedy, forKey: .remedy)
        try c.encode(zh, forKey: .zh)
        try c.encode(respondDueAt, forKey: .respondDueAt)
        try c.encode(sla, forKey: .sla)
        try c.encode(by, forKey: .by)
        try c.encode(note, forKey: .note)
        try c.encode(at, forKey: .at)
    }

    /// The spool file name: sorts by time, unique by id.
    public var fileName: String { "\(id).json" }
}

/// What the engine remembers about one (target, card, instance).
public struct AlertRecord: Sendable, Codable, Equatable {
    public var consecutiveAbnormal = 0
    /// Hard state: confirmed abnormal (raised, or waiting for a maintenance window to end).
    public var open = false
    /// A "raised" event went out for the open alert.
    public var raised = false
    public var level: Level = .ok
    public var firstAbnormalAt: Date?
    public var detectedAt: Date?
    public var dedupKey: String?
    /// Recent check results, newest last (true = abnormal), for flap detection.
    public var history: [Bool] = []
    public var flapping = false
    /// The open alert's deadlines under its contract, fixed when it was detected.
    public var respondDueAt: Date?
    public var restoreDueAt: Date?
    public var contract: String?
    /// Acknowledged (inspect ack) and by whom.
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    /// Escalation levels told about this alert (by name), each once.
    public var told: [String] = []
    /// The latest raised or updated event, which escalations repeat.
    public var last: AlertEvent?

    public init() {}
}
