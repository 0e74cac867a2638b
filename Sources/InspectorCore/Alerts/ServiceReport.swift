import Foundation

/// Everything a period report says, gathered: the period's summary, the same figures for the
/// period before and a year before (where history reaches), faults by category, and the method
/// (what counts as down, service hours). The JSON document is `inspect.health/1` (additive keys).
public struct ServiceReport: Sendable {
    public struct Comparison: Sendable, Equatable {
        public var period: String
        public var figures: HealthSummary.Figures
        public init(period: String, figures: HealthSummary.Figures) {
            self.period = period
            self.figures = figures
        }
    }

    public struct CategoryRow: Sendable, Equatable {
        public var category: CardCategory
        public var incidents: Int
        public var checks: Int
        public var abnormal: Int
        /// Abnormal checks per check, in percent (故障率); nil without checks.
        public var faultRate: Double? { checks > 0 ? Double(abnormal) / Double(checks) * 100 : nil }

        public init(category: CardCategory, incidents: Int, checks: Int, abnormal: Int) {
            self.category = category
            self.incidents = incidents
            self.checks = checks
            self.abnormal = abnormal
        }
    }

    public var summary: HealthSummary
    public var previous: Comparison?
    public var lastYear: Comparison?
    public var categories: [CategoryRow] = []
    /// By site and room, where the targets are labelled with them (a fleet report's grouping).
    public var places: [PlaceRow] = []
    /// The contracts in force (name -> service hours in words), and the default's objective.
    public var hours: [(String, String)] = []
    public var objective: Double = 99.9

    public init(summary: HealthSummary) { self.summary = summary }

    /// Met when every device reached its contract's availability objective.
    public var availabilityMet: Bool? {
        summary.availability.isEmpty ? nil : summary.availability.allSatisfy { $0.value + 1e-9 >= summary.objectives[$0.key] ?? objective }
    }

    public func document(generatedAt: Date) -> JSONValue {
        let h = summary
        func number(_ d: Double?, _ places: Double = 10) -> JSONValue { .optional(d.map { ($0 * places).rounded() / places }) }
        func count(_ filter: (HealthSummary.Alert) -> Bool) -> JSONValue { .number(Double(h.alerts.filter(filter).count)) }
        let figures: (HealthSummary.Figures) -> JSONValue = { f in
            .object([("availability_percent", number(f.availability, 1000)), ("incidents", .number(Double(f.incidents))),
                     ("respond_achieved_percent", number(f.respondPercent)), ("restore_achieved_percent", number(f.restorePercent)),
                     ("mttr_hours", number(f.mttrHours, 100))])
        }
        let summaryObject: JSONValue = .object([
            ("alerts", count { _ in true }), ("cleared", count { $0.clearedAt != nil }), ("open", count { $0.clearedAt == nil }),
            ("sla_achieved_percent", number(h.slaAchievedPercent)),
            ("respond_achieved_percent", number(h.respondAchievedPercent)), ("restore_achieved_percent", number(h.slaAchievedPercent)),
            ("mttr_hours", number(h.mttrHours, 100)), ("mtta_minutes", number(h.mttaMinutes)),
            ("availability_percent", number(h.overallAvailability, 1000)), ("availability_objective", .number(objective)),
            ("availability_met", availabilityMet.map(JSONValue.bool) ?? .null),
        ])
        let incidents: JSONValue = .object(Severity.allCases.map { s in
            (s.rawValue, .object([("incidents", count { $0.severity == s }), ("restored_in_time", count { $0.severity == s && $0.withinSLA == true }),
                                  ("open", count { $0.severity == s && $0.clearedAt == nil })]))
        })
        let iso = { (d: Date) -> JSONValue in .string(UTCTime.iso(d)) }
        let span = { (s: HealthSummary.Span) -> JSONValue in
            .object([("target", .string(s.target)), ("kind", .string(s.kind)), ("from", iso(s.from)), ("to", iso(s.to)),
                     ("minutes", number(s.to.timeIntervalSince(s.from) / 60)), ("note", s.note.map(JSONValue.string) ?? .null)])
        }
        let worst: [JSONValue] = h.worst.map { w in
            .object([("target", .string(w.target)), ("alerts", .number(Double(w.incidents))), ("down_minutes", number(w.downSeconds / 60))])
        }
        let compare = { (c: Comparison?) -> JSONValue in
            guard let c else { return .null }
            return .object([("period", .string(c.period)), ("figures", figures(c.figures))])
        }
        let categoryRows: [JSONValue] = categories.map { c in
            .object([("category", .string(c.category.rawValue)), ("incidents", .number(Double(c.incidents))), ("checks", .number(Double(c.checks))),
                     ("abnormal", .number(Double(c.abnormal))), ("fault_rate_percent", number(c.faultRate, 1000))])
        }
        let placeRows: [JSONValue] = places.map { p in
            .object([("site", .string(p.site)), ("room", .string(p.room)), ("devices", .number(Double(p.devices))), ("checks", .number(Double(p.checks))),
                     ("abnormal", .number(Double(p.abnormal))), ("incidents", .number(Double(p.incidents))),
                     ("down_minutes", number(p.downSeconds / 60)), ("availability_percent", number(p.availability, 1000))])
        }
        let bySeverity: [(String, JSONValue)] = Severity.allCases.map { s in (s.rawValue, count { $0.severity == s }) }
        let byCard: [(String, JSONValue)] = Set(h.alerts.map(\.card)).sorted().map { c in (c, count { $0.card == c }) }
        let availability: [(String, JSONValue)] = h.availability.keys.sorted().map { ($0, number(h.availability[$0], 1000)) }
        let objectives: [(String, JSONValue)] = h.objectives.keys.sorted().map { ($0, .number(h.objectives[$0]!)) }
        let method: JSONValue = .object([("down", .array((HealthSummary.outageCards.sorted() + HealthSummary.criticalOutageCards.sorted().map { "\($0) (critical)" } + ["reboot"]).map(JSONValue.string))), ("maintenance_excluded", .bool(true)),
                                         ("service_hours", .object(hours.map { ($0.0, .string($0.1)) }))])
        var members: [(String, JSONValue)] = [
            ("schema", .string("inspect.health/1")), ("kind", .string(h.kind)), ("period", .string(h.period)), ("from", iso(h.from)), ("to", iso(h.to)),
            ("generated_at", iso(generatedAt)), ("summary", summaryObject),
        ]
        members += [("by_severity", .object(bySeverity)), ("incidents_by_severity", incidents), ("by_card", .object(byCard)),
                    ("availability", .object(availability)), ("availability_objectives", .object(objectives)), ("worst_offenders", .array(worst))]
        members += [("compare", .object([("previous", compare(previous)), ("last_year", compare(lastYear))])), ("categories", .array(categoryRows)),
                    ("by_place", .array(placeRows)),
                    ("alerts", .array(h.alerts.map(alertDocument))), ("outages", .array(h.outages.map(span))),
                    ("maintenance", .array(h.maintenance.map(span))), ("method", method)]
        return .object(members)
    }

    func alertDocument(_ a: HealthSummary.Alert) -> JSONValue {
        let iso = { (d: Date) -> JSONValue in .string(UTCTime.iso(d)) }
        let hours: Double? = a.clearedAt.map { ($0.timeIntervalSince(a.detectedAt) / 3600 * 100).rounded() / 100 }
        let timeline: [JSONValue] = a.timeline.map { s in
            .object([("state", .string(s.state.rawValue)), ("at", iso(s.at)), ("who", s.who.map(JSONValue.string) ?? .null)])
        }
        var members: [(String, JSONValue)] = [
            ("target", .string(a.target)), ("card", .string(a.card)), ("severity", .string(a.severity.rawValue)),
            ("detected_at", iso(a.detectedAt)), ("cleared_at", a.clearedAt.map(iso) ?? .null),
            ("hours_to_clear", .optional(hours)), ("within_sla", a.withinSLA.map(JSONValue.bool) ?? .null),
        ]
        members += [("respond_due_at", a.respondDueAt.map(iso) ?? .null), ("restore_due_at", a.restoreDueAt.map(iso) ?? .null),
                    ("acknowledged_at", a.acknowledgedAt.map(iso) ?? .null), ("acknowledged_by", a.acknowledgedBy.map(JSONValue.string) ?? .null),
                    ("responded_in_time", a.respondedInTime.map(JSONValue.bool) ?? .null), ("sla", a.contract.map(JSONValue.string) ?? .null),
                    ("timeline", .array(timeline))]
        return .object(members)
    }
}
