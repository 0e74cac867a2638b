import Foundation

/// The model of a period's service report (weekly ... yearly, and the daily's first page),
/// computed from the period's alert events: incidents with their timeline, respond and restore
/// deadlines met, availability per device (unreachable, HTTP down, reboots; maintenance left
/// out), the worst devices and faults by category. Pure: every input comes in.
public struct HealthSummary: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var state: AlertEvent.State
        public var at: Date
        /// Who acknowledged, or the level told.
        public var who: String?
    }

    public struct Alert: Sendable, Equatable {
        public var dedupKey: String
        public var target: String
        public var card: String
        public var severity: Severity
        public var detectedAt: Date
        public var firstAbnormalAt: Date
        public var clearedAt: Date?
        public var respondDueAt: Date?
        public var restoreDueAt: Date?
        public var acknowledgedAt: Date?
        public var acknowledgedBy: String?
        public var contract: String?
        public var timeline: [Step] = []
        /// Restored by its restore deadline: nil for P4, or still open and not yet due.
        public var withinSLA: Bool?
        /// Acknowledged (or restored) by its respond deadline; nil when not yet judged or none.
        public var respondedInTime: Bool?
        /// Detected within the period (an incident of it), not only overlapping it.
        public var inPeriod = true
        /// When the alert first stood at critical, for the cards that count as outages only then.
        public var criticalSince: Date?
    }

    /// One stretch of time a device was out, or a maintenance window held.
    public struct Span: Sendable, Equatable {
        public var target: String
        public var from: Date
        public var to: Date
        public var kind: String
        public var note: String?

        public init(target: String, from: Date, to: Date, kind: String, note: String? = nil) {
            self.target = target
            self.from = from
            self.to = to
            self.kind = kind
            self.note = note
        }
    }

    public var period: String
    public var kind = "monthly"
    public var from: Date
    public var to: Date
    /// Incidents detected in the period.
    public var alerts: [Alert]
    /// Availability inputs and results (filled by `measure`).
    public var availability: [String: Double] = [:]
    public var downSeconds: [String: Double] = [:]
    public var objectives: [String: Double] = [:]
    public var outages: [Span] = []
    public var maintenance: [Span] = []
    public var overallAvailability: Double?

    /// Cards whose outages count against availability: a device unreachable, an HTTP endpoint down.
    public static let outageCards: Set<String> = ["REACH", "WEB-001"]
    /// Cards whose alerts count against availability only while critical: a host that answers no
    /// ping (NET-001's loss), a service port that does not open (NET-002), not a slow round trip.
    public static let criticalOutageCards: Set<String> = ["NET-001", "NET-002"]

    /// Builds the summary of [from, to) from events (any order, any period: others are ignored).
    public static func build(period: String, from: Date, to: Date, events: [AlertEvent]) -> HealthSummary {
        var byKey: [String: Alert] = [:]
        for e in events.sorted(by: { $0.id < $1.id }) {
            let at = e.at ?? (e.state == .cleared ? e.clearedAt ?? e.detectedAt : e.detectedAt)
            switch e.state {
            case .raised, .flapping:
                // Alerts detected before the period count only for availability (they overlap it).
                guard e.detectedAt < to else { continue }
                if byKey[e.dedupKey] == nil {
                    byKey[e.dedupKey] = Alert(dedupKey: e.dedupKey, target: e.target, card: e.card, severity: e.severity, detectedAt: e.detectedAt,
                                              firstAbnormalAt: min(e.firstAbnormalAt, e.detectedAt), clearedAt: nil,
                                              respondDueAt: e.respondDueAt,
                                              restoreDueAt: e.slaDueAt ?? e.severity.restoreWithinHours.map { e.detectedAt.addingTimeInterval(Double($0) * 3600) },
                                              contract: e.sla, inPeriod: e.detectedAt >= from)
                }
                byKey[e.dedupKey]?.timeline.append(Step(state: e.state, at: at, who: e.escalation))
                if e.level == .critical, byKey[e.dedupKey]?.criticalSince == nil {
                    byKey[e.dedupKey]?.criticalSince = e.state == .raised ? min(e.firstAbnormalAt, at) : at
                }
            case .cleared:
                guard var a = byKey[e.dedupKey], let cleared = e.clearedAt else { continue }
                a.clearedAt = cleared
                a.timeline.append(Step(state: .cleared, at: cleared, who: nil))
                byKey[e.dedupKey] = a
            case .updated:
                if var a = byKey[e.dedupKey], e.severity < a.severity { a.severity = e.severity; byKey[e.dedupKey] = a }
                if e.level == .critical, byKey[e.dedupKey]?.criticalSince == nil { byKey[e.dedupKey]?.criticalSince = at }
            case .acknowledged:
                guard var a = byKey[e.dedupKey], a.acknowledgedAt == nil else { continue }
                a.acknowledgedAt = at
                a.acknowledgedBy = e.by
                a.timeline.append(Step(state: .acknowledged, at: at, who: e.by))
                byKey[e.dedupKey] = a
            case .escalated:
                byKey[e.dedupKey]?.timeline.append(Step(state: .escalated, at: at, who: e.escalation))
            }
        }
        let judged = byKey.values.map { a -> Alert in
            var a = a
            a.withinSLA = a.restoreDueAt.flatMap { due in
                if let c = a.clearedAt { return c <= due }
                return to >= due ? false : nil
            }
            a.respondedInTime = a.respondDueAt.flatMap { due in
                if let ack = a.acknowledgedAt { return ack <= due }
                if let c = a.clearedAt { return c <= due ? true : false }
                return to >= due ? false : nil
            }
            a.timeline.sort { $0.at < $1.at }
            return a
        }
        var summary = HealthSummary(period: period, from: from, to: to, alerts: judged.filter(\.inPeriod).sorted { $0.detectedAt < $1.detectedAt })
        // Outages of alerts that began before the period and overlap it still count for availability.
        summary.outages = judged.compactMap { a in
            let began: Date
            if outageCards.contains(a.card) { began = a.firstAbnormalAt }
            else if criticalOutageCards.contains(a.card), let critical = a.criticalSince { began = critical }
            else { return nil }
            let end = min(a.clearedAt ?? to, to), start = max(began, from)
            return end > start ? Span(target: a.target, from: start, to: end, kind: a.card) : nil
        }
        return summary
    }

    /// Share of alerts with a restore target that were restored in time, in percent; nil if none.
    public var slaAchievedPercent: Double? { Self.percent(alerts.compactMap(\.withinSLA)) }

    /// Share of alerts with a respond target that were acknowledged (or restored) in time.
    public var respondAchievedPercent: Double? { Self.percent(alerts.compactMap(\.respondedInTime)) }

    static func percent(_ judged: [Bool]) -> Double? {
        judged.isEmpty ? nil : Double(judged.filter { $0 }.count) / Double(judged.count) * 100
    }

    /// Mean time to restore, in hours, over the alerts restored.
    public var mttrHours: Double? {
        let times = alerts.compactMap { a in a.clearedAt.map { $0.timeIntervalSince(a.detectedAt) / 3600 } }
        return times.isEmpty ? nil : times.reduce(0, +) / Double(times.count)
    }

    /// Mean time to acknowledge, in minutes, over the alerts acknowledged.
    public var mttaMinutes: Double? {
        let times = alerts.compactMap { a in a.acknowledgedAt.map { $0.timeIntervalSince(a.detectedAt) / 60 } }
        return times.isEmpty ? nil : times.reduce(0, +) / Double(times.count)
    }

    /// Seconds each target was unreachable (REACH alerts), clipped to the period.
    public var unreachableSeconds: [String: Double] {
        var out: [String: Double] = [:]
        for o in outages where o.kind == "REACH" { out[o.target, default: 0] += o.to.timeIntervalSince(o.from) }
        return out
    }
}
