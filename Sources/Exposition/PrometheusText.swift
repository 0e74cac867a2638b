import Foundation
import InspectorCore
import Prometheus

/// Renders a snapshot in the Prometheus text exposition format. swift-prometheus writes the
/// text (names, escaping, HELP and TYPE once per family); this file decides the names and labels.
/// A fresh registry per render: the exposition holds exactly the snapshot, nothing left over.
public enum PrometheusText {
    public static func render(_ snapshot: ExpositionSnapshot) -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        gauge(registry, "inspect_build_info", labels: [("version", snapshot.version), ("agent", snapshot.agent)],
              help: "The agent's version and id; always 1.").set(Double(1))
        if let last = snapshot.lastCycle {
            gauge(registry, "inspect_last_cycle_timestamp_seconds",
                  help: "When the agent last judged a batch of polls, in Unix seconds.").set(last.timeIntervalSince1970)
        }
        for level in [Level.warning, .critical, .unknown] {
            gauge(registry, "inspect_alerts_open", labels: [("severity", level.rawValue)],
                  help: "Alerts raised and not yet cleared, by level.").set(Double(snapshot.openAlerts[level] ?? 0))
        }
        for target in snapshot.targets {
            let base = labels(target: target)
            gauge(registry, "inspect_target_up", labels: base,
                  help: "1 when the last poll reached the target, else 0.").set(Double(target.up ? 1 : 0))
            gauge(registry, "inspect_poll_duration_seconds", labels: base,
                  help: "How long the target's last poll took.").set(target.pollSeconds)
            for finding in target.findings {
                gauge(registry, "inspect_finding_level",
                      labels: base + [("card", finding.card), ("instance", finding.instance)],
                      help: "The verdict of a card on an instance: 0 normal, 1 warning, 2 critical, 3 unknown.")
                    .set(Double(code(finding.level)))
            }
            guard target.up else { continue }
            var seen = Set<String>()
            for reading in target.readings {
                guard let value = reading.number, value.isFinite else { continue }
                let name = metricName(reading.metric, unit: reading.unit)
                // Two readings of one series (a device listing an instance twice): the first stands.
                guard seen.insert(name + "\u{0}" + reading.instance).inserted else { continue }
                gauge(registry, name, labels: base + [("instance", reading.instance)],
                      help: help(reading.metric, unit: reading.unit)).set(value)
            }
        }
        return registry.emitToBuffer()
    }

    /// A gauge of the family `name` (the library checks the name and the labels, and escapes values).
    static func gauge(_ registry: PrometheusCollectorRegistry, _ name: String, labels: [(String, String)] = [], help: String) -> Gauge {
        let descriptor = MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
        return labels.isEmpty ? registry.makeGauge(descriptor: descriptor) : registry.makeGauge(descriptor: descriptor, labels: labels)
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
    /// its unit (`temperature.celsius`) keeps it once.
    public static func metricName(_ metric: String, unit: String) -> String {
        let stem = "inspect_" + PrometheusNames.sanitised(metric.replacingOccurrences(of: ".", with: "_"))
        guard let suffix = unitSuffix(unit), !stem.hasSuffix("_" + suffix) else { return stem }
        return stem + "_" + suffix
    }

    /// Prometheus' base units where a unit maps to one; a unit outside the list is written as a word.
    static func unitSuffix(_ unit: String) -> String? {
        switch unit {
        case "": nil
        case "%": "percent"
        case "°C": "celsius"
        case "V": "volts"
        case "A": "amperes"
        case "W": "watts"
        case "Hz": "hertz"
        case "s": "seconds"
        case "min": "minutes"
        case "d", "days": "days"
        case "/min": "per_minute"
        case "msgs": "messages"
        default: PrometheusNames.sanitised(unit.lowercased()).trimmingCharacters(in: CharacterSet(charactersIn: "_")).nilIfEmpty
        }
    }

    /// From the metric and the unit's suffix only, so one series name always has one help text
    /// (the library refuses two).
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
