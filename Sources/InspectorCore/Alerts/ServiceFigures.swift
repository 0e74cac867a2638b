import Foundation

extension HealthSummary {
    /// Availability per target in its contract's service hours, up to `until` (a period still
    /// running counts to now): outages (REACH, WEB-001, and `reboots`) merged, maintenance
    /// windows held (`windows`, expanded over the period) left out.
    public mutating func measure(targets: [String], contract: (String) -> SLAContract, windows: [MaintenanceWindow],
                                 reboots: [Span], until: Date, calendar: Calendar = .current) {
        let end = min(until, to)
        outages += reboots.compactMap { r in
            let a = max(r.from, from), b = min(r.to, end)
            return b > a ? Span(target: r.target, from: a, to: b, kind: "reboot", note: r.note) : nil
        }
        maintenance = Self.held(windows, from: from, to: end, calendar: calendar)
        var up = 0.0, total = 0.0
        // Every device of the config, and any other that had an incident or an outage in the period.
        for t in Set(targets).union(outages.map(\.target)).union(alerts.map(\.target)).sorted() {
            let c = contract(t)
            let span = c.hours.serviceSeconds(from: from, to: end, calendar: calendar)
            guard span > 0 else { continue }
            let excluded = maintenance.filter { $0.target == "*" || $0.target.split(separator: ",").contains(Substring(t)) }
            let down = Self.subtract(Self.merge(outages.filter { $0.target == t }.map { ($0.from, $0.to) }),
                                     Self.merge(excluded.map { ($0.from, $0.to) }))
                .reduce(0.0) { $0 + c.hours.serviceSeconds(from: $1.0, to: $1.1, calendar: calendar) }
            downSeconds[t] = down
            availability[t] = (1 - down / span) * 100
            objectives[t] = c.availability
            up += span - down
            total += span
        }
        overallAvailability = total > 0 ? up / total * 100 : nil
    }

    /// The windows held within [from, to): one-off ranges clipped, weekly slots expanded day by day.
    static func held(_ windows: [MaintenanceWindow], from: Date, to: Date, calendar: Calendar) -> [Span] {
        var out: [Span] = []
        for w in windows {
            let who = w.targets.isEmpty ? "*" : w.targets.joined(separator: ",")
            switch w.when {
            case .range(let a, let b):
                if max(a, from) < min(b, to) { out.append(Span(target: who, from: max(a, from), to: min(b, to), kind: "maintenance", note: w.note)) }
            case .weekly(let days, let fromMinute, let toMinute):
                var day = calendar.startOfDay(for: from)
                while day < to {
                    if days.contains(calendar.component(.weekday, from: day)),
                       let a = calendar.date(byAdding: .minute, value: fromMinute, to: day),
                       let b = calendar.date(byAdding: .minute, value: toMinute, to: day), max(a, from) < min(b, to) {
                        out.append(Span(target: who, from: max(a, from), to: min(b, to), kind: "maintenance", note: w.note))
                    }
                    day = calendar.date(byAdding: .day, value: 1, to: day)!
                }
            }
        }
        return out.sorted { $0.from < $1.from }
    }

    static func merge(_ spans: [(Date, Date)]) -> [(Date, Date)] {
        var out: [(Date, Date)] = []
        for s in spans.sorted(by: { $0.0 < $1.0 }) {
            if let last = out.last, s.0 <= last.1 { out[out.count - 1].1 = max(last.1, s.1) } else { out.append(s) }
        }
        return out
    }

    /// `spans` minus `holes` (both merged).
    static func subtract(_ spans: [(Date, Date)], _ holes: [(Date, Date)]) -> [(Date, Date)] {
        var out: [(Date, Date)] = []
        for var s in spans {
            for h in holes where h.1 > s.0 && h.0 < s.1 {
                if h.0 > s.0 { out.append((s.0, h.0)) }
                s.0 = max(s.0, h.1)
                if s.0 >= s.1 { break }
            }
            if s.0 < s.1 { out.append(s) }
        }
        return out
    }

    /// The five worst targets: longest down first, then most incidents.
    public var worst: [(target: String, downSeconds: Double, incidents: Int)] {
        let incidents = Dictionary(grouping: alerts, by: \.target).mapValues(\.count)
        return Set(incidents.keys).union(downSeconds.filter { $0.value > 0 }.keys)
            .map { (target: $0, downSeconds: downSeconds[$0] ?? 0, incidents: incidents[$0] ?? 0) }
            .sorted { ($1.downSeconds, $1.incidents, $0.target) < ($0.downSeconds, $0.incidents, $1.target) }
            .prefix(5).map { $0 }
    }

    /// The headline figures, for the first page and for comparing periods.
    public struct Figures: Sendable, Equatable {
        public var availability: Double?
        public var incidents: Int
        public var respondPercent: Double?
        public var restorePercent: Double?
        public var mttrHours: Double?
    }

    public var figures: Figures {
        Figures(availability: overallAvailability, incidents: alerts.count, respondPercent: respondAchievedPercent,
                restorePercent: slaAchievedPercent, mttrHours: mttrHours)
    }

    /// Incidents and checks by card category: the KPI 故障率 (abnormal checks per check) and the
    /// share of incidents. `category(card)` is the card's category id.
    public func categories(cards: [DailySummary.CardDay], category: (String) -> CardCategory) -> [ServiceReport.CategoryRow] {
        CardCategory.allCases.map { c in
            let mine = cards.filter { category($0.card) == c }
            return ServiceReport.CategoryRow(category: c, incidents: alerts.filter { category($0.card) == c }.count,
                                             checks: mine.reduce(0) { $0 + $1.checks }, abnormal: mine.reduce(0) { $0 + $1.abnormal })
        }
    }
}

/// What kind of fault a card finds, for the fault-rate table (网络/硬件/软件/环境/电源/安全/其它).
public enum CardCategory: String, Sendable, Codable, CaseIterable {
    case network, hardware, software, environment, power, security, other
}

extension ServiceReport {
    /// One site and room of the fleet (from the targets' `site` and `room` labels; "" when a
    /// target has no such label): its devices, checks, incidents, downtime and mean availability.
    public struct PlaceRow: Sendable, Equatable {
        public var site: String
        public var room: String
        public var devices: Int
        public var checks: Int
        public var abnormal: Int
        public var incidents: Int
        public var downSeconds: Double
        /// The mean of its devices' availabilities; nil when none was measured.
        public var availability: Double?
    }
}

extension HealthSummary {
    /// The period by site and room, or nothing when no target carries either label.
    public func places(targets: [String], labels: (String) -> [String: String], cards: [DailySummary.CardDay]) -> [ServiceReport.PlaceRow] {
        let all = Set(targets).union(cards.map(\.target)).union(availability.keys)
        let place = Dictionary(uniqueKeysWithValues: all.map { t in
            let l = labels(t)
            return (t, [l["site"] ?? "", l["room"] ?? ""])
        })
        guard place.values.contains(where: { $0 != ["", ""] }) else { return [] }
        // Unlabelled targets last.
        let order = { (key: [String]) in [key == ["", ""] ? "1" : "0"] + key }
        return Dictionary(grouping: all, by: { place[$0]! }).sorted { order($0.key).lexicographicallyPrecedes(order($1.key)) }.map { key, members in
            let mine = Set(members)
            let measured = members.compactMap { availability[$0] }
            let checked = cards.filter { mine.contains($0.target) }
            return ServiceReport.PlaceRow(site: key[0], room: key[1], devices: members.count,
                                          checks: checked.reduce(0) { $0 + $1.checks }, abnormal: checked.reduce(0) { $0 + $1.abnormal },
                                          incidents: alerts.filter { mine.contains($0.target) }.count,
                                          downSeconds: members.reduce(0) { $0 + (downSeconds[$1] ?? 0) },
                                          availability: measured.isEmpty ? nil : measured.reduce(0, +) / Double(measured.count))
        }
    }
}
