import Foundation

/// A contract's promise for one severity: how long until someone responds and until service is
/// restored, each counted in the contract's service hours.
public enum Deadline: Sendable, Equatable {
    /// Seconds of service time.
    case within(Double)
    /// "next business day 15:00" (次日15点前).
    case nextBusinessDay(hour: Int, minute: Int)

    public func due(from start: Date, hours: ServiceHours, calendar: Calendar) -> Date {
        switch self {
        case .within(let seconds): hours.advance(start, by: seconds, calendar: calendar)
        case .nextBusinessDay(let h, let m): hours.nextBusinessDay(after: start, hour: h, minute: m, calendar: calendar)
        }
    }

    /// "15m", "2h", "next business day 15:00".
    public static func parse(_ text: String) -> Deadline? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let prefix = "next business day "
        if t.hasPrefix(prefix), let c = parseClock(String(t.dropFirst(prefix.count))) { return .nextBusinessDay(hour: c.hour, minute: c.minute) }
        // A bare number would be ambiguous (seconds? hours?): a contract's durations carry a unit.
        guard let last = t.last, "smhd".contains(last), let s = parseDuration(t), s > 0 else { return nil }
        return .within(s)
    }

    public var text: String {
        switch self {
        case .within(let s): formatSeconds(s)
        case .nextBusinessDay(let h, let m): String(format: "next business day %02d:%02d", h, m)
        }
    }
}

/// One contract: its service hours and, per severity, its respond and restore deadlines.
public struct SLAContract: Sendable, Equatable {
    public struct Terms: Sendable, Equatable {
        public var respond: Deadline?
        public var restore: Deadline?
        public init(respond: Deadline?, restore: Deadline?) {
            self.respond = respond
            self.restore = restore
        }
    }

    public var name: String
    public var hours: ServiceHours
    public var terms: [Severity: Terms]
    /// The availability objective (SLO) in percent, within service hours.
    public var availability: Double

    public init(name: String, hours: ServiceHours, terms: [Severity: Terms], availability: Double = 99.9) {
        self.name = name
        self.hours = hours
        self.terms = terms
        self.availability = availability
    }

    /// Today's targets before contracts existed: restore within 2/4/12 h around the clock; P4 is not a fault.
    public static let standard = SLAContract(name: "standard", hours: .twentyFourSeven, terms: [
        .p1: Terms(respond: .within(15 * 60), restore: .within(2 * 3600)),
        .p2: Terms(respond: .within(30 * 60), restore: .within(4 * 3600)),
        .p3: Terms(respond: .within(2 * 3600), restore: .within(12 * 3600)),
    ])

    public func respondDue(_ severity: Severity, raisedAt: Date, calendar: Calendar = .current) -> Date? {
        terms[severity]?.respond?.due(from: raisedAt, hours: hours, calendar: calendar)
    }

    public func restoreDue(_ severity: Severity, raisedAt: Date, calendar: Calendar = .current) -> Date? {
        terms[severity]?.restore?.due(from: raisedAt, hours: hours, calendar: calendar)
    }
}

/// The `sla:` section: named contracts and the one for targets without an `sla` label.
public struct SLAConfig: Sendable, Equatable {
    public var defaultName = "standard"
    public var contracts: [String: SLAContract] = ["standard": .standard]

    public init() {}

    /// The label a target names its contract with.
    public static let label = "sla"

    public func contract(labels: [String: String]) -> SLAContract {
        contracts[labels[Self.label] ?? defaultName] ?? contracts[defaultName] ?? .standard
    }
}
