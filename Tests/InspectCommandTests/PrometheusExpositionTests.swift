import Foundation
import Testing
import TestPeers

/// `inspect run --listen`: /metrics in the text format promtool accepts, scraped by a real
/// Prometheus 2.42, with readings dropped (never repeated) when a device stops answering.
@Suite(.serialized, .enabled(if: PrometheusServer.binary != nil && SNMPDaemon.binary != nil, "needs Debian's prometheus and snmpd"))
struct PrometheusExpositionTests {
    struct Agent {
        let daemon: DaemonTests.Daemon
        let port: UInt16
        func metrics(user: String? = nil, password: String? = nil) async -> (String, Int)? {
            await HTTPGet.fetch("http://127.0.0.1:\(port)/metrics", user: user, password: password).map { (String(decoding: $0.0, as: UTF8.self), $0.1) }
        }
    }

    /// A daemon polling one real snmpd (a host over SNMP) every 0.3 s, serving /metrics.
    func start(dir: String, snmpPort: UInt16, extra: String = "") async throws -> Agent {
        let port = Peers.freePort(udp: false)
        let path = try CommandRunner.webConfig(in: dir, targets: [
            "{id: srv-1, address: \"snmp://public@127.0.0.1:\(snmpPort)?timeout=0.5&retries=0\", labels: {room: \"A-101\", site: 上海, rack-no: \"3\"}}",
        ], checklists: ["server"], extra: """
            paths: {profiles: "\(CommandRunner.repo.appendingPathComponent("Config/profiles").path)"}
            metrics: {listen: "127.0.0.1:\(port)"\(extra)}
            """)
        let process = try Launcher.start(CommandRunner.binary, ["run", "--config", path, "--interval", "0.3s",
                                                                "--spool", dir + "/spool", "--state", dir + "/state"],
                                         log: dir + "/daemon.log")
        let agent = Agent(daemon: DaemonTests.Daemon(process: process, dir: dir), port: port)
        #expect(await agent.daemon.waitFor("serving /metrics", timeout: 60), "\(agent.daemon.log)")
        return agent
    }

    @Test func exposesReadingsVerdictsAndDropsThemWhenTheDeviceStops() async throws {
        let snmpd = try SNMPDaemon()
        let dir = CommandRunner.temporaryDirectory()
        let agent = try await start(dir: dir, snmpPort: snmpd.port, extra: ", textfile: \"\(dir)/inspect.prom\"")
        defer { agent.daemon.signal(SIGTERM) }
        var text = ""
        #expect(await waitUntil(timeout: 60) {
            text = await agent.metrics()?.0 ?? ""
            return text.contains("inspect_memory_used_percent{") && text.contains("inspect_target_up{target=\"srv-1\"")
        }, "\(text)\n\(agent.daemon.log)")
        #expect(try Promtool.problems(text) == nil, "\(text)")
        // The reading, named with its unit, labelled by target, instance and the target's labels (sanitised).
        let memory = text.split(separator: "\n").first { $0.hasPrefix("inspect_memory_used_percent{") }.map(String.init) ?? ""
        for label in ["target=\"srv-1\"", "instance=\"RAM\"", "room=\"A-101\"", "site=\"上海\"", "rack_no=\"3\""] {
            #expect(memory.contains(label), "\(memory)")
        }
        #expect(text.contains("inspect_target_up{target=\"srv-1\",kind=\"host\""), "\(text)")
        #expect(text.contains("inspect_finding_level{") && text.contains("card=\"SXKR-002\""))
        #expect(text.contains("inspect_build_info{version=") && text.contains("inspect_alerts_open{severity=\"critical\"}"))
        #expect(text.contains("inspect_poll_duration_seconds{target=\"srv-1\""))
        // No timestamps: every sample line is NAME{labels} VALUE.
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let values = line.contains("}") ? line.split(separator: "}").last! : line.split(separator: " ").dropFirst().joined(separator: " ")[...]
            #expect(values.split(separator: " ").count == 1, "\(line)")
        }
        // The textfile holds the same families, written whole.
        #expect(await waitUntil(timeout: 30) { (try? String(contentsOfFile: "\(dir)/inspect.prom", encoding: .utf8))?.contains("inspect_memory_used_percent{") == true })
        #expect(try Promtool.problems(String(contentsOfFile: "\(dir)/inspect.prom", encoding: .utf8)) == nil)

        // The device stops answering: up 0, and its readings are gone, not repeated.
        snmpd.stop()
        #expect(await waitUntil(timeout: 60) {
            text = await agent.metrics()?.0 ?? ""
            return text.contains("inspect_target_up{target=\"srv-1\",kind=\"host\",rack_no=\"3\",room=\"A-101\",site=\"上海\"} 0")
        }, "\(text)")
        #expect(!text.contains("inspect_memory_used_percent{"), "\(text)")
        #expect(text.contains("card=\"REACH\""), "\(text)")
        #expect(try Promtool.problems(text) == nil, "\(text)")
    }

    @Test func basicAuthGuardsTheListener() async throws {
        let snmpd = try SNMPDaemon()
        defer { snmpd.stop() }
        let dir = CommandRunner.temporaryDirectory()
        try "password=s3cret pass\n".write(toFile: "\(dir)/metrics.secrets", atomically: true, encoding: .utf8)
        chmod("\(dir)/metrics.secrets", 0o600)
        let agent = try await start(dir: dir, snmpPort: snmpd.port, extra: ", user: prom, secrets: \"\(dir)/metrics.secrets\"")
        defer { agent.daemon.signal(SIGTERM) }
        #expect(await agent.metrics()?.1 == 401)
        #expect(await agent.metrics(user: "prom", password: "wrong")?.1 == 401)
        #expect(await agent.metrics(user: "prom", password: "s3cret pass")?.1 == 200)
    }

    @Test func aRealPrometheusScrapesTheSeries() async throws {
        let snmpd = try SNMPDaemon()
        defer { snmpd.stop() }
        let dir = CommandRunner.temporaryDirectory()
        let agent = try await start(dir: dir, snmpPort: snmpd.port)
        defer { agent.daemon.signal(SIGTERM) }
        let prometheus = try PrometheusServer(scraping: ["127.0.0.1:\(agent.port)"])
        defer { prometheus.stop() }
        var result: [[String: Any]] = []
        #expect(await waitUntil(timeout: 90, interval: 0.5) {
            result = await prometheus.query("inspect_memory_used_percent{target=\"srv-1\",instance=\"RAM\"}")
            return !result.isEmpty
        }, "\(prometheus.peer.logText)")
        let metric = result.first?["metric"] as? [String: String] ?? [:]
        #expect(metric["room"] == "A-101" && metric["site"] == "上海" && metric["job"] == "inspect", "\(metric)")
        let value = (result.first?["value"] as? [Any])?.last as? String
        #expect(value.flatMap(Double.init).map { (0...100).contains($0) } == true, "\(String(describing: value))")
        #expect(await waitUntil(timeout: 30, interval: 0.5) { !(await prometheus.query("inspect_target_up{target=\"srv-1\"} == 1")).isEmpty })
        #expect(await waitUntil(timeout: 30, interval: 0.5) { !(await prometheus.query("up{job=\"inspect\"} == 1")).isEmpty })
    }
}
