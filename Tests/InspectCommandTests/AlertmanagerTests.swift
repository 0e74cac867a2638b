import Foundation
import Testing
import TestPeers

/// Alerts to a real Alertmanager 0.25 (API v2) with the shipped example config (its inhibit
/// rule included) and a webhook receiver: one outage is one firing and one resolved
/// notification, also from two clustered Alertmanagers; a restarted one gets the alert back
/// within one resend.
@Suite(.serialized, .enabled(if: AlertmanagerPeer.binary != nil && HTTPPeer.available, "needs Debian's prometheus-alertmanager and python3"))
struct AlertmanagerTests {
    static let resend = 5.0

    /// The shipped example, with test timings and the receiver's address.
    func amConfig(hook: HookPeer) throws -> String {
        try String(contentsOf: CommandRunner.repo.appendingPathComponent("Config/alertmanager.example.yml"), encoding: .utf8)
            .replacingOccurrences(of: "group_wait: 30s", with: "group_wait: 1s")
            .replacingOccurrences(of: "group_wait: 10s", with: "group_wait: 1s")
            .replacingOccurrences(of: "group_interval: 5m", with: "group_interval: 1s")
            .replacingOccurrences(of: "http://127.0.0.1:5001", with: "http://127.0.0.1:\(hook.port)")
    }

    func startAgent(dir: String, flip: String, alertmanagers: [String]) throws -> DaemonTests.Daemon {
        let peer = try DaemonTests.peer.get()
        let path = try CommandRunner.webConfig(in: dir, targets: [
            "{id: web, address: \"\(peer.url("/flip?name=\(flip)"))\", http: {timeout: 2s}, labels: {room: A-101, site: 上海}}",
        ], extra: "alertmanager: {urls: [\(alertmanagers.map { "\"\($0)\"" }.joined(separator: ", "))], resend: \(Int(Self.resend))s}\n")
        return try DaemonTests.Daemon.start(dir: dir, config: path)
    }

    /// Notifications the receiver got for the card, by status.
    func notifications(_ hook: HookPeer, _ status: String) -> [[String: Any]] {
        hook.received.filter { $0["path"] as? String == "/alerts" }.compactMap { $0["body"] as? [String: Any] }.filter { body in
            body["status"] as? String == status
                && (body["alerts"] as? [[String: Any]] ?? []).contains { ($0["labels"] as? [String: String])?["alertname"] == "WEB-001" }
        }
    }

    @Test func oneOutageIsOneFiringAndOneResolvedNotification() async throws {
        let hook = try HookPeer()
        defer { hook.stop() }
        let am = try AlertmanagerPeer(config: try amConfig(hook: hook))
        defer { am.stop() }
        #expect(await waitUntil(timeout: 30) { await am.ready() }, "\(am.logText)")
        let dir = CommandRunner.temporaryDirectory()
        let agent = try startAgent(dir: dir, flip: "am-one", alertmanagers: [am.url])
        defer { agent.signal(SIGTERM) }
        // The watchdog fires as soon as the agent runs.
        #expect(await waitUntil(timeout: 30) { hook.received.contains { $0["path"] as? String == "/watchdog" } }, "\(agent.log)")

        try DaemonTests.peer.get().flip("am-one", to: 500)
        #expect(await waitUntil(timeout: 60) { !notifications(hook, "firing").isEmpty }, "\(agent.log)\n\(am.logText)")
        let firing = try #require(notifications(hook, "firing").first?["alerts"] as? [[String: Any]])
        let alert = try #require(firing.first { ($0["labels"] as? [String: String])?["alertname"] == "WEB-001" })
        let labels = alert["labels"] as? [String: String] ?? [:]
        #expect(labels == ["alertname": "WEB-001", "target": "web", "severity": "critical", "priority": "P1", "room": "A-101", "site": "上海"], "\(labels)")
        let annotations = alert["annotations"] as? [String: String] ?? [:]
        for key in ["summary", "item", "item_zh", "value", "limit", "reason", "remedy", "remedy_zh", "sla_due_at", "agent"] {
            #expect(annotations[key]?.isEmpty == false, "\(key): \(annotations)")
        }

        try DaemonTests.peer.get().flip("am-one", to: 200)
        #expect(await waitUntil(timeout: 60) { !notifications(hook, "resolved").isEmpty }, "\(agent.log)")
        // The agent keeps re-sending the resolved alert: two more posts reach Alertmanager, each
        // a resend apart, and neither makes another notification.
        let received = await am.metric("alertmanager_alerts_received_total", "resolved")
        #expect(await waitUntil(timeout: 4 * Self.resend + 30) { await am.metric("alertmanager_alerts_received_total", "resolved") >= received + 2 })
        #expect(notifications(hook, "firing").count == 1, "\(hook.received)")
        #expect(notifications(hook, "resolved").count == 1, "\(hook.received)")
    }

    @Test func twoClusteredAlertmanagersNotifyOnce() async throws {
        let hook = try HookPeer()
        defer { hook.stop() }
        let config = try amConfig(hook: hook)
        let gossipA = Peers.freePortForTCPAndUDP(), gossipB = Peers.freePortForTCPAndUDP()
        let a = try AlertmanagerPeer(config: config, peers: [gossipB], clusterPort: gossipA)
        defer { a.stop() }
        let b = try AlertmanagerPeer(config: config, peers: [gossipA], clusterPort: gossipB)
        defer { b.stop() }
        #expect(await waitUntil(timeout: 60) { let x = await a.ready(), y = await b.ready(); return x && y }, "\(a.logText)\n\(b.logText)")
        #expect(await waitUntil(timeout: 60) {
            let x = await a.metric("alertmanager_cluster_members"), y = await b.metric("alertmanager_cluster_members")
            return x == 2 && y == 2
        })
        let dir = CommandRunner.temporaryDirectory()
        let agent = try startAgent(dir: dir, flip: "am-cluster", alertmanagers: [a.url, b.url])
        defer { agent.signal(SIGTERM) }
        try DaemonTests.peer.get().flip("am-cluster", to: 500)
        defer { try? DaemonTests.peer.get().flip("am-cluster", to: 200) }
        #expect(await waitUntil(timeout: 60) { !notifications(hook, "firing").isEmpty }, "\(agent.log)")
        // Both hold the alert; the second member waits its peer timeout (2 s), finds the first
        // one's notification in the gossiped log, and stays quiet. Two resends later (10 s) that
        // is long past (each round: two Alertmanagers, each given this alert and the watchdog).
        #expect(await waitUntil(timeout: 30) {
            let both = [await a.alerts(), await b.alerts()]
            return both.allSatisfy { list in list.contains { ($0["labels"] as? [String: String])?["alertname"] == "WEB-001" } }
        })
        func firingReceived() async -> Double {
            let x = await a.metric("alertmanager_alerts_received_total", "firing"), y = await b.metric("alertmanager_alerts_received_total", "firing")
            return x + y
        }
        let received = await firingReceived()
        #expect(await waitUntil(timeout: 4 * Self.resend + 30) { await firingReceived() >= received + 8 })
        #expect(notifications(hook, "firing").count == 1, "\(hook.received)")
    }

    @Test func aRestartedAlertmanagerGetsTheAlertBackWithinOneResend() async throws {
        let hook = try HookPeer()
        defer { hook.stop() }
        let am = try AlertmanagerPeer(config: try amConfig(hook: hook))
        defer { am.stop() }
        #expect(await waitUntil(timeout: 30) { await am.ready() })
        let dir = CommandRunner.temporaryDirectory()
        let agent = try startAgent(dir: dir, flip: "am-restart", alertmanagers: [am.url])
        defer { agent.signal(SIGTERM) }
        try DaemonTests.peer.get().flip("am-restart", to: 500)
        defer { try? DaemonTests.peer.get().flip("am-restart", to: 200) }
        func holds() async -> Bool { await am.alerts().contains { ($0["labels"] as? [String: String])?["alertname"] == "WEB-001" } }
        #expect(await waitUntil(timeout: 60) { await holds() }, "\(agent.log)")

        am.stop()
        try am.start()
        #expect(await waitUntil(timeout: 30, interval: 0.1) { await am.ready() })
        let back = Date()
        #expect(!(await holds()), "a fresh Alertmanager holds nothing")
        // The agent's posts failed while it was down (back-off at most one resend), so the alert
        // is back within one resend of its return, plus a poll of the agent's loop.
        #expect(await waitUntil(timeout: 60, interval: 0.2) { await holds() })
        #expect(Date().timeIntervalSince(back) <= Self.resend + 2, "\(Date().timeIntervalSince(back)) s")
    }
}
