import Foundation

/// Parses `sla:` (contracts, service hours, holidays from the config or an ICS file).
enum SLAParser {
    static func parse(_ value: YAMLValue, base: URL) throws(ConfigError) -> SLAConfig {
        let m = try value.mapping(allowed: ["default", "contracts"])
        var sla = SLAConfig()
        if let c = m.optional("contracts") {
            for (name, v) in try c.mapping(allowed: nil).pairs {
                sla.contracts[name] = try contract(name, v, base: base)
            }
        }
        if let d = m.optional("default") {
            sla.defaultName = try d.string()
            guard sla.contracts[sla.defaultName] != nil else {
                throw d.error("default contract \"\(sla.defaultName)\" is not among the contracts (\(sla.contracts.keys.sorted().joined(separator: ", ")))")
            }
        }
        return sla
    }

    static func contract(_ name: String, _ value: YAMLValue, base: URL) throws(ConfigError) -> SLAContract {
        let m = try value.mapping(allowed: ["hours", "availability"] + Severity.allCases.map(\.rawValue))
        var contract = SLAContract(name: name, hours: .twentyFourSeven, terms: [:])
        if let h = m.optional("hours") { contract.hours = try hours(h, base: base) }
        if let a = m.optional("availability") { contract.availability = try a.double(in: 0...100) }
        for s in Severity.allCases {
            guard let v = m.optional(s.rawValue) else { continue }
            let t = try v.mapping(allowed: ["respond", "restore"])
            func deadline(_ key: String) throws(ConfigError) -> Deadline? {
                guard let d = t.optional(key) else { return nil }
                let text = try d.string()
                guard let parsed = Deadline.parse(text) else {
                    throw d.error("\(key) \"\(text)\" is not a duration with a unit (15m, 2h, 1d) or \"next business day HH:MM\"")
                }
                return parsed
            }
            contract.terms[s] = SLAContract.Terms(respond: try deadline("respond"), restore: try deadline("restore"))
        }
        return contract
    }

    static func hours(_ value: YAMLValue, base: URL) throws(ConfigError) -> ServiceHours {
        if case .scalar = value.node {
            let text = try value.string()
            guard text.lowercased() == "24x7" else { throw value.error("hours is 24x7 or {weekly: \"Mon-Fri 09:00-18:00\", holidays: [...]}") }
            return .twentyFourSeven
        }
        let m = try value.mapping(allowed: ["weekly", "holidays", "workdays"])
        let w = try m.required("weekly")
        let text = try w.string()
        guard let (days, open, close) = weekly(text) else {
            throw w.error("weekly \"\(text)\" is not like \"Mon-Fri 09:00-18:00\" (days Mon..Sun, a range or a list, then HH:MM-HH:MM)")
        }
        var hours = ServiceHours(always: false, days: days, open: open, close: close)
        if let h = m.optional("holidays") {
            if case .scalar = h.node {
                let name = try h.string()
                let path = name.hasPrefix("/") ? name : base.appendingPathComponent(name).path
                guard let data = FileManager.default.contents(atPath: path), let ics = String(data: data, encoding: .utf8) else {
                    throw h.error("holiday calendar \(path) cannot be read")
                }
                hours.holidays = ICSCalendar.dates(in: ics)
                guard !hours.holidays.isEmpty else { throw h.error("holiday calendar \(path) holds no all-day VEVENT") }
            } else {
                hours.holidays = Set(try dates(h))
            }
        }
        if let d = m.optional("workdays") { hours.workdays = Set(try dates(d)) }
        return hours
    }

    static func dates(_ value: YAMLValue) throws(ConfigError) -> [String] {
        var out: [String] = []
        for item in try value.list() {
            let text = try item.string()
            guard ReportPeriod.isDay(text) else { throw item.error("\"\(text)\" is not a date like 2026-10-01") }
            out.append(text)
        }
        return out
    }

    /// "Mon-Fri 09:00-18:00", "Mon,Wed,Fri 08:30-17:30" -> weekdays (1 = Sunday) and minutes.
    static func weekly(_ text: String) -> (Set<Int>, Int, Int)? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        var days = Set<Int>()
        let names = MaintenanceWindow.weekdays
        for piece in parts[0].split(separator: ",") {
            let ends = piece.split(separator: "-").map { names[String($0.prefix(3)).lowercased()] }
            guard !ends.isEmpty, ends.allSatisfy({ $0 != nil }) else { return nil }
            if ends.count == 1 { days.insert(ends[0]!) }
            else if ends.count == 2 {
                // Mon-Fri; Sat-Sun wraps through the end of the week.
                var d = ends[0]!
                while true { days.insert(d); if d == ends[1]! { break }; d = d % 7 + 1 }
            } else { return nil }
        }
        let times = parts[1].split(separator: "-").map { parseClock(String($0)) }
        guard times.count == 2, let a = times[0], let b = times[1] else { return nil }
        let open = a.hour * 60 + a.minute, close = b.hour * 60 + b.minute
        guard open < close, !days.isEmpty else { return nil }
        return (days, open, close)
    }
}

/// The all-day events of an iCalendar file (RFC 5545), as local dates: what a holiday calendar
/// exported from a groupware or published by a government holds. DTEND is exclusive.
public enum ICSCalendar {
    public static func dates(in text: String) -> Set<String> {
        // Unfold: a line starting with a space or tab continues the previous one.
        var lines: [String] = []
        for raw in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = raw.first, first == " " || first == "\t", !lines.isEmpty { lines[lines.count - 1] += raw.dropFirst() }
            else { lines.append(String(raw)) }
        }
        var out = Set<String>()
        var start: String?, end: String?, inEvent = false
        for line in lines {
            let upper = line.uppercased()
            if upper == "BEGIN:VEVENT" { inEvent = true; start = nil; end = nil; continue }
            if upper == "END:VEVENT" {
                if inEvent, let s = start { out.formUnion(span(s, end)) }
                inEvent = false
                continue
            }
            guard inEvent, let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].split(separator: ";").first.map { $0.uppercased() } ?? ""
            let value = String(line[line.index(after: colon)...].prefix(8))
            if name == "DTSTART" { start = value } else if name == "DTEND" { end = value }
        }
        return out
    }

    static func span(_ start: String, _ end: String?) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        func date(_ s: String) -> Date? {
            guard s.count == 8, let y = Int(s.prefix(4)), let m = Int(s.dropFirst(4).prefix(2)), let d = Int(s.suffix(2)) else { return nil }
            return calendar.date(from: DateComponents(year: y, month: m, day: d))
        }
        guard let from = date(start) else { return [] }
        let to = end.flatMap(date) ?? calendar.date(byAdding: .day, value: 1, to: from)!
        var out: [String] = []
        var day = from
        while day < to && out.count < 366 {
            out.append(ServiceHours.dayKey(day, calendar: calendar))
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return out.isEmpty ? [ServiceHours.dayKey(from, calendar: calendar)] : out
    }
}
