import Foundation
import InspectorCore

/// One alert as Alertmanager's API v2 takes it (`POST /api/v2/alerts`, a JSON list of these).
/// The labels are the alert's identity: card, target, instance, level, priority and the target's
/// site and room; never the agent, so that two agents watching one UPS make one alert.
public struct AlertmanagerAlert: Sendable, Equatable {
    public var labels: [String: String]
    public var annotations: [String: String]
    public var startsAt: Date
    public var endsAt: Date

    public init(labels: [String: String], annotations: [String: String], startsAt: Date, endsAt: Date) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
    }

    /// The identity Alertmanager computes (its fingerprint is over the sorted label pairs).
    public var identity: String { labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1}") }

    /// The target labels that become alert labels.
    public static let targetLabels = ["site", "room"]

    /// From the alert's latest event; `targetLabels` are the target's configured labels.
    public static func from(_ event: AlertEvent, level: Level, targetLabels: [String: String], agent: String, endsAt: Date) -> AlertmanagerAlert {
        var labels = ["alertname": event.card, "target": event.target, "severity": level.rawValue, "priority": event.severity.rawValue]
        // An empty label is the same as none to Alertmanager; a scalar reading has no instance.
        if !event.instance.isEmpty { labels["instance"] = event.instance }
        for key in Self.targetLabels { if let value = targetLabels[key], !value.isEmpty { labels[PrometheusNames.label(key)] = value } }
        var annotations = [
            "summary": "\(event.card) \(event.item) on \(event.target)\(event.instance.isEmpty ? "" : " (\(event.instance))"): \(event.measured)",
            "item": event.item, "value": event.measured, "limit": event.limit, "agent": agent,
            "event_id": event.id, "detected_at": UTCTime.iso(event.detectedAt),
        ]
        annotations["reason"] = event.reason
        annotations["remedy"] = event.remedy
        annotations["item_zh"] = event.zh?.item
        annotations["reason_zh"] = event.zh?.reason
        annotations["remedy_zh"] = event.zh?.remedy
        annotations["sla_due_at"] = event.slaDueAt.map { UTCTime.iso($0) }
        annotations["respond_due_at"] = event.respondDueAt.map { UTCTime.iso($0) }
        annotations["sla"] = event.sla
        return AlertmanagerAlert(labels: labels, annotations: annotations.compactMapValues { $0.isEmpty ? nil : $0 },
                                 startsAt: event.detectedAt, endsAt: endsAt)
    }

    /// The agent's dead man's switch: always firing while the agent runs.
    public static func watchdog(agent: String, since: Date, endsAt: Date) -> AlertmanagerAlert {
        AlertmanagerAlert(labels: ["alertname": "InspectWatchdog", "agent": agent, "severity": "none"],
                          annotations: ["summary": "Inspector agent \(agent) is running. It always fires: page when it stops."],
                          startsAt: since, endsAt: endsAt)
    }

    var json: [String: Any] {
        ["labels": labels, "annotations": annotations, "startsAt": UTCTime.iso(startsAt, millis: true), "endsAt": UTCTime.iso(endsAt, millis: true)]
    }

    public static func body(_ alerts: [AlertmanagerAlert]) -> Data {
        (try? JSONSerialization.data(withJSONObject: alerts.map(\.json), options: [.sortedKeys])) ?? Data("[]".utf8)
    }
}
