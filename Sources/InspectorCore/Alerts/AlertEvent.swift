import Foundation

/// One alert event, as written to spool/events (schema `inspect.event/1`).
public struct AlertEvent: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable { case raised, updated, flapping, cleared }

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
    /// detected_at plus the severity's restore target (P1 2 h, P2 4 h, P3 12 h); nil for P4.
    public var slaDueAt: Date?
    /// Who the abnormal item is escalated to (config `escalation`).
    public var escalation: String?
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

    public init() {}
}
