import Foundation
import Testing
@testable import InspectorCore

/// metrics, alertmanager, history.url, agent and shard: read, and refused with file and line.
struct FleetConfigTests {
    func load(_ text: String) throws(ConfigError) -> InspectorConfig {
        let dir = NSTemporaryDirectory() + "inspect-fleet-config-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try? text.write(toFile: "\(dir)/inspect.yaml", atomically: true, encoding: .utf8)
        return try ConfigLoader.load(file: "\(dir)/inspect.yaml", hostname: "host-a")
    }

    @Test func readsTheSections() throws {
        let c = try load("""
            metrics: {listen: ":9273", textfile: /tmp/x.prom}
            alertmanager: {urls: ["http://127.0.0.1:9093/"], resend: 30s}
            history: {url: "postgres://inspect@db/inspect", forward: 30s}
            shard: 1/4
            """)
        #expect(c.metrics?.listen == ListenAddress(host: "127.0.0.1", port: 9273) && c.metrics?.listen?.isLoopback == true)
        #expect(c.alertmanager?.urls == ["http://127.0.0.1:9093"] && c.alertmanager?.resend == 30)
        #expect(c.fleetHistory?.url == "postgres://inspect@db/inspect" && c.fleetHistory?.forward == 30)
        #expect(try load("history: {url: \"postgres://db/x\"}\n").fleetHistory?.forward == 10)
        #expect(c.shard == Shard(index: 1, count: 4))
        #expect(c.agent == "host-a" && c.agentID(shard: c.shard) == "host-a.shard-1-of-4")
        let named = try load("agent: {id: room-a}\nshard: 1/4\n")
        #expect(named.agentID(shard: named.shard) == "room-a")
    }

    @Test(arguments: [
        ("metrics: {listen: \"nowhere\"}\n", 1, "expected host:port"),
        ("metrics: {user: prom}\n", 1, "basic auth needs both"),
        ("metrics: {user: prom, secrets: /nonexistent/file}\n", 1, "does not exist"),
        ("alertmanager: {urls: [\"ftp://x\"]}\n", 1, "http(s) URL"),
        ("alertmanager: {resend: 60s}\n", 1, "needs urls"),
        ("history:\n  url: \"postgres://u:secret@db/x\"\n", 2, "carries a password"),
        ("history:\n  url: \"mysql://db/x\"\n", 2, "postgres:// URL"),
        ("history:\n  url: \"postgres://db/x\"\n  forward: 0.1s\n", 3, "out of range"),
        ("history: {forward: 10s}\n", 1, "there is no url"),
        ("agent: {id: \"a b\"}\n", 1, "must be 1-64"),
        ("shard: 4/4\n", 1, "0 <= I < N"),
    ])
    func refusesWithTheLine(text: String, line: Int, fragment: String) {
        do {
            _ = try load(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.line == line && error.description.contains(fragment), "\(error)")
        }
    }
}
