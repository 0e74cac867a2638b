import Foundation
import InspectorCore

/// Keeps every listed Alertmanager in step with the agent's open alerts. Alertmanager keeps
/// nothing across its restarts and forgets an alert whose endsAt passes, so:
/// - every firing alert is sent again each `resend`, with endsAt = now + 4 × resend;
/// - a cleared alert is sent with endsAt = its cleared time, and again for `resolvedFor`;
/// - an alert whose labels change (warning -> critical) resolves its old label set in the same post;
/// - the agent's InspectWatchdog always fires.
/// Each Alertmanager has its own schedule and back-off: one that is down delays no other.
/// The daemon's alert state is the source of truth; this holds only what was last sent.
public final class AlertmanagerForwarder: @unchecked Sendable {
    public let urls: [String]
    public let resend: Double
    public let resolvedFor: Double = 300
    let agent: String
    let startedAt: Date

    /// Firing alerts by the daemon's dedup key.
    private var firing: [String: AlertmanagerAlert] = [:]
    /// Resolved label sets still being re-sent, by identity, with when to stop.
    private var resolving: [String: (alert: AlertmanagerAlert, until: Date)] = [:]
    /// Label sets an Alertmanager refused (400): not sent again until they change.
    private var refused: Set<String> = []
    private var schedules: [String: Schedule]

    struct Schedule {
        /// What changed since this Alertmanager's last successful post.
        var dirty = true
        var nextResend = Date.distantPast
        var retryAt = Date.distantPast
        var backoff: Double = 0
    }

    public init(config: AlertmanagerConfig, agent: String, startedAt: Date) {
        urls = config.urls
        resend = config.resend
        self.agent = agent
        self.startedAt = startedAt
        schedules = Dictionary(uniqueKeysWithValues: config.urls.map { ($0, Schedule()) })
    }

    /// The open alerts now (dedup key -> alert, endsAt ignored), and when each one that closed was
    /// cleared (nil: now). Marks every Alertmanager for a post when anything changed.
    public func update(firing now: [String: AlertmanagerAlert], clearedAt: (String) -> Date?, at time: Date) {
        var changed = false
        for (key, alert) in now {
            if let before = firing[key] {
                guard before.identity != alert.identity else { continue }
                resolve(before, at: time)   // same alert, new labels (its level): the old set ends now
            }
            resolving[alert.identity] = nil
            changed = true
        }
        for (key, before) in firing where now[key] == nil {
            resolve(before, at: clearedAt(key) ?? time)
            changed = true
        }
        firing = now
        if changed { for url in urls { schedules[url]?.dirty = true } }
        resolving = resolving.filter { $0.value.until > time }
    }

    private func resolve(_ alert: AlertmanagerAlert, at time: Date) {
        var ended = alert
        ended.endsAt = time
        resolving[alert.identity] = (ended, time.addingTimeInterval(resolvedFor))
    }

    /// What to post to each Alertmanager now: the whole current picture, when something changed
    /// or its resend is due, and it is not backing off.
    public func due(at now: Date) -> [(url: String, alerts: [AlertmanagerAlert])] {
        urls.compactMap { url in
            guard let s = schedules[url], now >= s.retryAt, s.dirty || now >= s.nextResend else { return nil }
            return (url, picture(at: now))
        }
    }

    func picture(at now: Date) -> [AlertmanagerAlert] {
        let ends = now.addingTimeInterval(4 * resend)
        var alerts = firing.keys.sorted().compactMap { key -> AlertmanagerAlert? in
            guard var a = firing[key], !refused.contains(a.identity) else { return nil }
            a.endsAt = ends
            return a
        }
        alerts += resolving.keys.sorted().compactMap { resolving[$0]?.alert }.filter { !refused.contains($0.identity) }
        alerts.append(.watchdog(agent: agent, since: startedAt, endsAt: ends))
        return alerts
    }

    /// The outcome of a post to `url`; `refusedAlerts` are those Alertmanager answered 400 for.
    public func delivered(_ url: String, at now: Date, refusedAlerts: [AlertmanagerAlert] = []) {
        for alert in refusedAlerts { refused.insert(alert.identity) }
        schedules[url] = Schedule(dirty: false, nextResend: now.addingTimeInterval(resend), retryAt: .distantPast, backoff: 0)
    }

    /// A post that may work later (no connection, 5xx): back off 1 s doubling to `resend`.
    public func failed(_ url: String, at now: Date) {
        guard var s = schedules[url] else { return }
        s.backoff = min(resend, max(1, s.backoff * 2))
        s.retryAt = now.addingTimeInterval(s.backoff)
        s.dirty = true
        schedules[url] = s
    }

    /// Refusals are forgotten for label sets no longer current, so the set stays small.
    public func forgetRefusals() {
        let current = Set(firing.values.map(\.identity)).union(resolving.keys)
        refused = refused.intersection(current)
    }

    /// Posts one picture to one Alertmanager (`POST URL/api/v2/alerts`) and records the outcome.
    /// A 400 refuses the whole list for one bad alert: each is then posted alone, and only the ones
    /// refused alone are dropped. Returns what to log: nil when delivered.
    public func post(_ alerts: [AlertmanagerAlert], to url: String, poster: WebhookPoster, at now: Date) -> String? {
        let endpoint = url + "/api/v2/alerts"
        switch poster.post(AlertmanagerAlert.body(alerts), to: endpoint, robot: false) {
        case .delivered:
            delivered(url, at: now)
            return nil
        case .retry(let why):
            failed(url, at: now)
            return "\(endpoint): \(why); retried"
        case .refused(let why) where why.hasPrefix("HTTP 400") && alerts.count > 1:
            var dropped: [AlertmanagerAlert] = []
            for alert in alerts {
                switch poster.post(AlertmanagerAlert.body([alert]), to: endpoint, robot: false) {
                case .delivered: continue
                case .refused(let one) where one.hasPrefix("HTTP 400"): dropped.append(alert)
                case .refused(let one), .retry(let one):
                    failed(url, at: now)
                    return "\(endpoint): \(one); retried"
                }
            }
            delivered(url, at: now, refusedAlerts: dropped)
            return "\(endpoint) refused \(dropped.map { $0.labels["alertname"] ?? "?" }) (\(why)); dropped"
        case .refused(let why) where why.hasPrefix("HTTP 400"):
            delivered(url, at: now, refusedAlerts: alerts)
            return "\(endpoint) refused \(alerts.map { $0.labels["alertname"] ?? "?" }) (\(why)); dropped"
        case .refused(let why):
            // 401, 404 (a wrong path or an API v1 server): the setup, not the alert; tried again.
            failed(url, at: now)
            return "\(endpoint): \(why); retried"
        }
    }
}
