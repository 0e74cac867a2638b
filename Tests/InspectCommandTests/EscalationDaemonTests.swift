import Foundation
import InspectorApp
import InspectorCore
import Testing
import TestPeers

/// The daemon escalates an outage past its contract's deadlines, once per level across a
/// restart, posts every step to a real webhook receiver, and `inspect ack` (the real binary)
/// records the response exactly once.
@Suite(.serialized, .enabled(if: HTTPPeer.available, "needs /usr/bin/python3 with cryptography"))
struct EscalationDaemonTests {
    typealias Daemon = DaemonClockTests.InProcessDaemon

    func iso(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }

    func events(_ dir: String, _ state: String) -> [[String: Any]] {
        DaemonTests.events(dir).filter { $0["state"] as? String == state }
    }

    @Test func anOverdueOutageIsEscalatedOncePerLevelAndAcknowledgedOnce() async throws {
        let peer = try DaemonTests.peer.get()
        let hooks = try HookPeer()
        defer { hooks.stop() }
        let name = "escalation"
        try peer.flip(name, to: 503)
        let dir = CommandRunner.temporaryDirectory()
        let path = try CommandRunner.webConfig(
            in: dir, targets: ["{id: web, address: \"\(peer.url("/flip?name=\(name)"))\", http: {timeout: 2s}, labels: {sla: fast}}"],
            schedule: "{interval: 30s, daily_report: \"23:59\"}", extra: """
            sla:
              contracts:
                fast: {hours: 24x7, P1: {respond: 2m, restore: 5m}}
            escalation:
              - {name: engineer, when: raised, channels: [ops]}
              - {name: lead, when: respond_overdue, channels: [ops]}
              - {name: manager, when: restore_overdue, channels: [ops]}
            channels:
              - {id: ops, kind: webhook, url: "\(hooks.url("/webhook"))"}
            """)
        let start = DaemonClockTests.today(10, 0)
        var daemon = try Daemon(config: path, dir: dir, at: start)
        #expect(await daemon.advance { !events(dir, "raised").isEmpty }, "not raised")
        let raised = try #require(events(dir, "raised").first)
        let detected = try #require((raised["detected_at"] as? String).flatMap(iso))
        #expect(raised["sla"] as? String == "fast" && raised["escalation"] as? String == "engineer")
        #expect((raised["respond_due_at"] as? String).flatMap(iso) == detected.addingTimeInterval(120))
        #expect((raised["sla_due_at"] as? String).flatMap(iso) == detected.addingTimeInterval(300))

        // Past the respond deadline, unacknowledged: the lead is told, once.
        #expect(await daemon.advance { !events(dir, "escalated").isEmpty }, "not escalated for its response")
        let lead = events(dir, "escalated")
        #expect(lead.map { $0["escalation"] as? String } == ["lead"])
        let leadAt = try #require((lead[0]["at"] as? String).flatMap(iso))
        #expect(leadAt >= detected.addingTimeInterval(120) && leadAt < detected.addingTimeInterval(180))

        // A restart keeps what was told: no second escalation to the lead.
        let now = daemon.clock.now()
        #expect(try await daemon.stop())
        daemon = try Daemon(config: path, dir: dir, at: now)

        // Someone responds; a second acknowledgement is refused (65).
        let id = try #require(raised["id"] as? String)
        let ack = try await CommandRunner.run(["ack", id, "--by", "张三", "--note", "换电源模块", "--config", path,
                                               "--spool", dir + "/spool", "--state", dir + "/state"])
        #expect(ack.status == 0, "\(ack.stderr)")
        let again = try await CommandRunner.run(["ack", id, "--by", "李四", "--config", path, "--spool", dir + "/spool", "--state", dir + "/state"])
        #expect(again.status == 65 && again.stderr.contains("already acknowledged by 张三"), "\(again.stderr)")
        let unknown = try await CommandRunner.run(["ack", "no-such-event", "--by", "x", "--config", path, "--spool", dir + "/spool", "--state", dir + "/state"])
        #expect(unknown.status == 65 && unknown.stderr.contains("no alert event no-such-event"))
        let acks = events(dir, "acknowledged")
        #expect(acks.count == 1 && acks.first?["by"] as? String == "张三" && acks.first?["note"] as? String == "换电源模块")

        // Past the restore deadline: the manager, once; nothing more however long it lasts.
        #expect(await daemon.advance { events(dir, "escalated").count >= 2 }, "not escalated for its restore")
        _ = await daemon.advance(until: { false }, limit: 120)
        #expect(events(dir, "escalated").map { $0["escalation"] as? String } == ["lead", "manager"])

        // Restored: cleared once; acknowledging a cleared alert is refused.
        try peer.flip(name, to: 200)
        #expect(await daemon.advance { !events(dir, "cleared").isEmpty }, "not cleared")
        let late = try await CommandRunner.run(["ack", id, "--by", "x", "--config", path, "--spool", dir + "/spool", "--state", dir + "/state"])
        #expect(late.status == 65 && late.stderr.contains("already cleared"), "\(late.stderr)")

        // Every step reached the webhook once: raised, the two escalations, the acknowledgement, the clear.
        #expect(await daemon.advance { hooks.received.count >= 5 }, "posts: \(hooks.received)")
        _ = await daemon.advance(until: { false }, limit: 20)
        let posted = hooks.received.compactMap { ($0["body"] as? [String: Any]) }
        #expect(posted.compactMap { $0["state"] as? String }.sorted() == ["acknowledged", "cleared", "escalated", "escalated", "raised"])
        #expect(Set(posted.compactMap { $0["id"] as? String }).count == 5)
        #expect(try await daemon.stop())
    }
}
