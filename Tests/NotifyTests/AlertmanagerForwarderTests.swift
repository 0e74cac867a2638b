import Foundation
import InspectorCore
import Notify
import Testing
import TestPeers

/// The forwarder's picture of the alerts over time, and its answer to a 400 from a real Alertmanager.
struct AlertmanagerForwarderTests {
    static let t0 = Date(timeIntervalSince1970: 1_796_000_000)

    func event(level: Level, card: String = "UPS-006", at: Date = t0) -> AlertEvent {
        AlertEvent(id: "e-\(card)-\(level.rawValue)", dedupKey: "ups-1|\(card)|", state: .raised, card: card, target: "ups-1", instance: "",
                   item: "Battery", severity: .p2, level: level, measured: "35 %", limit: "<= 40 %", reason: "battery low",
                   detectedAt: at, firstAbnormalAt: at, clearedAt: nil, slaDueAt: at.addingTimeInterval(4 * 3600),
                   escalation: nil, remedy: "replace the battery")
    }

    func alert(_ e: AlertEvent, _ level: Level) -> AlertmanagerAlert {
        .from(e, level: level, targetLabels: ["room": "A-101", "rack no": "3"], agent: "agent-1", endsAt: e.detectedAt)
    }

    @Test func aLevelChangeResolvesTheOldLabelsInTheSamePost() throws {
        let f = AlertmanagerForwarder(config: { var c = AlertmanagerConfig(); c.urls = ["http://127.0.0.1:1"]; c.resend = 60; return c }(),
                                      agent: "agent-1", startedAt: Self.t0)
        let warning = alert(event(level: .warning), .warning)
        #expect(warning.labels == ["alertname": "UPS-006", "target": "ups-1", "severity": "warning", "priority": "P2", "room": "A-101"])
        f.update(firing: ["k": warning], clearedAt: { _ in nil }, at: Self.t0)
        var post = try #require(f.due(at: Self.t0).first).alerts
        #expect(post.map { $0.labels["alertname"] } == ["UPS-006", "InspectWatchdog"])
        #expect(post[0].endsAt == Self.t0.addingTimeInterval(240), "endsAt is now + 4 x resend")
        f.delivered("http://127.0.0.1:1", at: Self.t0)
        #expect(f.due(at: Self.t0.addingTimeInterval(59)).isEmpty, "nothing changed, resend not due")
        #expect(!f.due(at: Self.t0.addingTimeInterval(60)).isEmpty, "resend due")

        let later = Self.t0.addingTimeInterval(30)
        f.update(firing: ["k": alert(event(level: .critical), .critical)], clearedAt: { _ in nil }, at: later)
        post = try #require(f.due(at: later).first).alerts
        let critical = try #require(post.first { $0.labels["severity"] == "critical" })
        let resolved = try #require(post.first { $0.labels["severity"] == "warning" })
        #expect(critical.endsAt > later && resolved.endsAt == later)
        f.delivered("http://127.0.0.1:1", at: later)

        // Cleared: sent with its cleared time, and again on each resend for five minutes, no longer.
        let cleared = later.addingTimeInterval(10)
        f.update(firing: [:], clearedAt: { _ in cleared.addingTimeInterval(-2) }, at: cleared)
        post = try #require(f.due(at: cleared).first).alerts
        #expect(post.filter { $0.labels["alertname"] == "UPS-006" }.allSatisfy { $0.endsAt <= cleared })
        #expect(post.contains { $0.labels["severity"] == "critical" && $0.endsAt == cleared.addingTimeInterval(-2) })
        f.update(firing: [:], clearedAt: { _ in nil }, at: cleared.addingTimeInterval(301))
        post = try #require(f.due(at: cleared.addingTimeInterval(301)).first).alerts
        #expect(post.map { $0.labels["alertname"] } == ["InspectWatchdog"])
    }

    @Test(.enabled(if: AlertmanagerPeer.binary != nil, "needs Debian's prometheus-alertmanager"))
    func aRefusedAlertIsDroppedAndTheOthersDelivered() async throws {
        let am = try AlertmanagerPeer(config: "route: {receiver: none}\nreceivers: [{name: none}]\n")
        defer { am.stop() }
        #expect(await waitUntil { await am.ready() }, "\(am.logText)")
        var config = AlertmanagerConfig()
        config.urls = [am.url]
        let f = AlertmanagerForwarder(config: config, agent: "agent-1", startedAt: Date())
        let now = Date()
        let good = alert(event(level: .warning, card: "UPS-006", at: now), .warning)
        // Ends before it starts: Alertmanager answers 400 for the whole list.
        var bad = alert(event(level: .critical, card: "UPS-001", at: now), .critical)
        bad.startsAt = now.addingTimeInterval(3600)
        f.update(firing: ["a": good, "b": bad], clearedAt: { _ in nil }, at: now)
        let due = try #require(f.due(at: now).first)
        let said = try await onOwnThread { f.post(due.alerts, to: am.url, poster: WebhookPoster(timeout: 10), at: now) }
        #expect(said?.contains("refused [\"UPS-001\"]") == true && said?.contains("HTTP 400") == true, "\(said ?? "nil")")
        let held = await am.alerts().compactMap { ($0["labels"] as? [String: String])?["alertname"] }
        #expect(Set(held) == ["UPS-006", "InspectWatchdog"], "\(held)")
        // Not offered again while its labels stay the same.
        #expect(f.due(at: now.addingTimeInterval(config.resend)).first?.alerts.map { $0.labels["alertname"] } == ["UPS-006", "InspectWatchdog"])
    }
}

func waitUntil(timeout: Double = 30, _ condition: () async -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if await condition() { return true }
        try? await Task.sleep(nanoseconds: 50_000_000)
    }
    return await condition()
}
