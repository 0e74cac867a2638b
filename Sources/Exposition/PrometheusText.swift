import Foundation
import InspectorCore

/// Renders a snapshot in the Prometheus text exposition format (version 0.0.4): one HELP and TYPE
/// line per family, then its samples, label values escaped. Written here rather than through
/// swift-prometheus 2.4, whose registry copies a family's label sets on every new series: a render
/// of 1,000 targets took 3.4 s, of 4,000 80 s (quadratic), and 10,000 never finished a scrape.
/// Each render starts empty: the exposition holds exactly the snapshot, nothing left over.
public enum PrometheusText {
    public static func render(_ snapshot: ExpositionSnapshot) -> [UInt8] {
        var out = TextFormat()
        out.family("inspect_build_info", help: "The agent's version and id; always 1.")
        out.sample("inspect_build_info", [("version", snapshot.version), ("agent", snapshot.agent)], 1)
        if let last = snapshot.lastCycle {
            out.family("inspect_last_cycle_timestamp_seconds", help: "When the agent last judged a batch of polls, in Unix seconds.")
            out.sample("inspect_last_cycle_timestamp_seconds", [], last.timeIntervalSince1970)
        }
        out.family("inspect_alerts_open", help: "Alerts raised and not yet cleared, by level.")
        for level in [Level.warning, .critical, .unknown] {
            out.sample("inspect_alerts_open", [("severity", level.rawValue)], Double(snapshot.openAlerts[level] ?? 0))
        }
        let bases = snapshot.targets.map(labels(target:))
        guard !snapshot.targets.isEmpty else { return out.bytes }
        out.family("inspect_target_up", help: "1 when the last poll reached the target, else 0.")
        for (t, target) in snapshot.targets.enumerated() { out.sample("inspect_target_up", bases[t], target.up ? 1 : 0) }
        out.family("inspect_poll_duration_seconds", help: "How long the target's last poll took.")
        for (t, target) in snapshot.targets.enumerated() { out.sample("inspect_poll_duration_seconds", bases[t], target.pollSeconds) }
        out.family("inspect_finding_level", help: "The verdict of a card on an instance: 0 normal, 1 warning, 2 critical, 3 unknown.")
        for (t, target) in snapshot.targets.enumerated() {
            var seen = Set<String>()
            for f in target.findings where seen.insert(f.card + "\u{0}" + f.instance).inserted {
                out.sample("inspect_finding_level", bases[t] + [("card", f.card), ("instance", f.instance)], Double(code(f.level)))
            }
        }
        // Readings by family (a family's samples must be written together), in the order first met.
        var order: [String] = [], members: [String: [(target: Int, reading: Int)]] = [:], helps: [String: String] = [:]
        for (t, target) in snapshot.targets.enumerated() where target.up {
            var seen = Set<String>()
            for (r, reading) in target.readings.enumerated() {
                guard let value = reading.number, value.isFinite else { continue }
                let name = metricName(reading.metric, unit: reading.unit)
                // Two readings of one series (a device listing an instance twice): the first stands.
                guard seen.insert(name + "\u{0}" + reading.instance).inserted else { continue }
                if members[name] == nil {
                    order.append(name)
                    helps[name] = help(reading.metric, unit: reading.unit)
                }
                members[name, default: []].append((t, r))
            }
        }
        for name in order {
            out.family(name, help: helps[name]!)
            for (t, r) in members[name]! {
                let reading = snapshot.targets[t].readings[r]
                out.sample(name, bases[t] + [("instance", reading.instance)], exposed(reading.number!, unit: reading.unit))
            }
        }
        return out.bytes
    }

    public static func code(_ level: Level) -> Int {
        switch level {
        case .ok: 0
        case .warning: 1
        case .critical: 2
        case .unknown: 3
        }
    }

    /// `cpu.utilisation` in % -> `inspect_cpu_utilisation_percent`; a name that already ends in
    /// its unit (`temperature.celsius`) keeps it once. Times go out in seconds, Prometheus' base
    /// unit (promtool refuses minutes and days): `ups.runtime_minutes` -> `inspect_ups_runtime_seconds`.
    public static func metricName(_ metric: String, unit: String) -> String {
        var stem = "inspect_" + PrometheusNames.sanitised(metric.replacingOccurrences(of: ".", with: "_"))
        if let time = timeUnits[unit] {
            for word in time.words where stem.hasSuffix("_" + word) { stem.removeLast(word.count + 1) }
        }
        guard let suffix = unitSuffix(unit), !stem.hasSuffix("_" + suffix) else { return stem }
        return stem + "_" + suffix
    }

    /// Units written in seconds: the factor, and the words a metric's name may end in for them.
    static let timeUnits: [String: (factor: Double, words: [String])] = [
        "min": (60, ["minutes", "minute", "min"]), "d": (86_400, ["days", "day"]), "days": (86_400, ["days", "day"]),
        "h": (3_600, ["hours", "hour"]), "ms": (0.001, ["milliseconds", "ms"]),
    ]

    /// A reading's value in the unit its name carries.
    static func exposed(_ value: Double, unit: String) -> Double { value * (timeUnits[unit]?.factor ?? 1) }

    /// Prometheus' base units where a unit maps to one; a unit outside the list is written as a word.
    static func unitSuffix(_ unit: String) -> String? {
        if timeUnits[unit] != nil { return "seconds" }
        switch unit {
        case "": return nil
        case "%": return "percent"
        case "°C": return "celsius"
        case "V": return "volts"
        case "A": return "amperes"
        case "W": return "watts"
        case "Hz": return "hertz"
        case "s": return "seconds"
        case "/min": return "per_minute"
        case "msgs": return "messages"
        default: return PrometheusNames.sanitised(unit.lowercased()).trimmingCharacters(in: CharacterSet(charactersIn: "_")).nilIfEmpty
        }
    }

    /// From the metric and the unit's suffix only, so one series name always has one help text.
    static func help(_ metric: String, unit: String) -> String {
        let title = MetricCatalogue.shipped.metrics[metric]?.title.en ?? metric
        return unitSuffix(unit).map { "\(title), \($0.replacingOccurrences(of: "_", with: " "))" } ?? title
    }

    /// The target's own labels, then `target` and `kind`. A target label whose name the
    /// exposition uses itself is written `label_NAME`; names are sanitised to Prometheus' rules.
    static func labels(target: ExpositionSnapshot.TargetState) -> [(String, String)] {
        var out: [(String, String)] = [("target", target.id), ("kind", target.kind)]
        var used = Set(reserved)
        for (key, value) in target.labels.sorted(by: { $0.key < $1.key }) {
            var name = PrometheusNames.label(key)
            if used.contains(name) { name = "label_" + name }
            guard used.insert(name).inserted else { continue }
            out.append((name, value))
        }
        return out
    }

    static let reserved = ["target", "kind", "instance", "card", "severity", "job", "version", "agent", "le", "quantile"]

}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
