import Foundation

/// The model of a monthly or quarterly health report, computed from the period's alert events:
/// alerts by card and severity, time to clear against the P1-P4 restore targets (SLA achieved),
/// time each device was unreachable, and the worst offenders. (Issue "reports" renders it.)
public struct HealthSummary: Sendable, Equatable {
    public struct Alert: Sendable, Equatable {
        public var dedupKey: String
        public var target: String
        public var card: String
        public var severity: Severity
        public var detectedAt: Date
        public var clearedAt: Date?
        /// Cleared within the severity's restore target; nil for P4 or still open.
        public var withinSLA: Bool?
    }

    public var period: String
    public var from: Date
    public var to: Date
    public var alerts: [Alert]

    /// Builds the summary of [from, to) from events (any order, any period: others are ignored).
    public static func build(period: String, from: Date, to: Date, events: [AlertEvent]) -> HealthSummary {
        var byKey: [String: Alert] = [:]
        for e in events.sorted(by: { $0.id < $1.id }) {
            switch e.state {
            case .raised, .flapping:
                guard e.detectedAt >= from, e.detectedAt < to else { continue }
                byKey[e.dedupKey] = byKey[e.dedupKey] ?? Alert(dedupKey: e.dedupKey, target: e.target, card: e.card, severity: e.severity,
                                                               detectedAt: e.detectedAt, clearedAt: nil, withinSLA: nil)
            case .cleared:
                guard var a = byKey[e.dedupKey], let cleared = e.clearedAt else { continue }
                a.clearedAt = cleared
                a.withinSLA = a.severity.restoreWithinHours.map { cleared.timeIntervalSince(a.detectedAt) <= Double($0) * 3600 }
                byKey[e.dedupKey] = a
            case .updated:
                if var a = byKey[e.dedupKey], e.severity < a.severity { a.severity = e.severity; byKey[e.dedupKey] = a }
            case .acknowledged, .escalated:
                continue
            }
        }
        return HealthSummary(period: period, from: from, to: to, alerts: byKey.values.sorted { $0.detectedAt < $1.detectedAt })
    }

    /// Share of alerts with a restore target that were cleared in time, in percent; nil if none.
    public var slaAchievedPercent: Double? {
        let judged = alerts.compactMap(\.withinSLA)
        return judged.isEmpty ? nil : Double(judged.filter { $0 }.count) / Double(judged.count) * 100
    }

    /// Seconds each target was unreachable (REACH alerts), clipped to the period.
    public var unreachableSeconds: [String: Double] {
        var out: [String: Double] = [:]
        for a in alerts where a.card == "REACH" {
            out[a.target, default: 0] += min(a.clearedAt ?? to, to).timeIntervalSince(max(a.detectedAt, from))
        }
        return out
    }

    public func document(generatedAt: Date) -> JSONValue {
        let targets = Set(alerts.map(\.target)).sorted()
        let summary: JSONValue = .object([
            ("alerts", count { _ in true }), ("cleared", count { $0.clearedAt != nil }), ("open", count { $0.clearedAt == nil }),
            ("sla_achieved_percent", .optional(slaAchievedPercent.map { ($0 * 10).rounded() / 10 })),
        ])
        let bySeverity: JSONValue = .object(Severity.allCases.map { s in (s.rawValue, count { $0.severity == s }) })
        let byCard: JSONValue = .object(Set(alerts.map(\.card)).sorted().map { c in (c, count { $0.card == c }) })
        let span = to.timeIntervalSince(from)
        let unreachable = unreachableSeconds
        let availability: JSONValue = .object(targets.map { t -> (String, JSONValue) in
            (t, .number(((1 - (unreachable[t] ?? 0) / span) * 100_000).rounded() / 1000))
        })
        let ranked: [(String, Int)] = targets.map { t in (t, alerts.filter { $0.target == t }.count) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        let offenders: JSONValue = .array(ranked.prefix(10).map { .object([("target", .string($0.0)), ("alerts", .number(Double($0.1)))]) })
        let list: JSONValue = .array(alerts.map(alertDocument))
        return .object([
            ("schema", .string("inspect.health/1")), ("period", .string(period)), ("from", iso(from)), ("to", iso(to)),
            ("generated_at", iso(generatedAt)), ("summary", summary), ("by_severity", bySeverity), ("by_card", byCard),
            ("availability", availability), ("worst_offenders", offenders), ("alerts", list),
        ])
    }

    func count(_ filter: (Alert) -> Bool) -> JSONValue { .number(Double(alerts.filter(filter).count)) }

    func iso(_ d: Date) -> JSONValue { .string(UTCTime.iso(d)) }

    func alertDocument(_ a: Alert) -> JSONValue {
        let hours: Double? = a.clearedAt.map { ($0.timeIntervalSince(a.detectedAt) / 3600 * 100).rounded() / 100 }
        return .object([
            ("target", .string(a.target)), ("card", .string(a.card)), ("severity", .string(a.severity.rawValue)),
            ("detected_at", iso(a.detectedAt)), ("cleared_at", a.clearedAt.map(iso) ?? .null),
            ("hours_to_clear", .optional(hours)), ("within_sla", a.withinSLA.map(JSONValue.bool) ?? .null),
        ])
    }
}
