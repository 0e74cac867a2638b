import Foundation
import Testing
import TestPeers

/// `inspect now` over SNMP: healthy, slow, stopped and misconfigured devices in one run.
@Suite(.serialized, .enabled(if: SNMPSimulator.available, "needs Debian's snmpsim and ../shared/testdata"))
struct SNMPRunTests {
    static let simulator = SNMPSimulator.shared
    static let slow = Result { try SNMPSimulator(slowMilliseconds: 3000) }

    /// Three dead devices are waited for at the same time: each one's first request reaches it
    /// before any of them is asked again (retries=1 after a 0.5 s timeout). Serial polling would
    /// retry the first before the second was ever asked. Proven by the order of arrival.
    @Test func deadDevicesAreWaitedForTogether() async throws {
        let agents = try SilentAgents(count: 3)
        let dir = CommandRunner.temporaryDirectory()
        let result = try await CommandRunner.run([
            "now", "--config", CommandRunner.repo.appendingPathComponent("Config/inspect.yaml").path, "--no-local",
            "--spool", "\(dir)/spool", "--state", "\(dir)/state", "--format", "json", "--deadline", "90",
        ] + agents.ports.enumerated().flatMap { i, port in ["--target", "snmp://public@127.0.0.1:\(port)?timeout=0.5&retries=1#dead-\(i)"] })
        #expect(result.status == 3, "\(result.stderr)")
        let arrivals = agents.arrivals
        let firstRetry = try #require(arrivals.firstIndex { $0.request > 1 }, "\(arrivals)")
        #expect(Set(arrivals[..<firstRetry].map(\.agent)) == [0, 1, 2], "\(arrivals)")
    }

    @Test func oneBadDeviceNeverStallsTheOthers() async throws {
        let sim = try Self.simulator.get().port, slow = try Self.slow.get().port
        let dead = Peers.freePort()
        let dir = CommandRunner.temporaryDirectory()
        let started = Date()
        let result = try await CommandRunner.run([
            "now", "--config", CommandRunner.repo.appendingPathComponent("Config/inspect.yaml").path, "--no-local",
            "--spool", "\(dir)/spool", "--state", "\(dir)/state", "--format", "json", "--deadline", "90",
            "--target", "snmp://tripplite@127.0.0.1:\(sim)?timeout=15&budget=80#ups-tripp",
            "--target", "snmp://serverscheck@127.0.0.1:\(sim)?timeout=15&budget=80#room-sensor",
            "--target", "snmp://slow-ups@127.0.0.1:\(slow)?timeout=0.5&retries=1#ups-slow",
            "--target", "snmp://public@127.0.0.1:\(dead)?timeout=0.5&retries=1#ups-dead",
            "--target", "snmp://wrong-community@127.0.0.1:\(sim)?timeout=0.5&retries=0#ups-wrong",
        ], timeout: 120)
        let elapsed = Date().timeIntervalSince(started)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        let findings = try #require(object["findings"] as? [[String: Any]])
        func of(_ target: String) -> [[String: Any]] { findings.filter { $0["target"] as? String == target } }
        // The healthy devices are read and judged by their own cards (generous timeouts: under a
        // loaded suite snmpsimd answers slowly, and these two must answer).
        #expect(of("ups-tripp").contains { $0["card"] as? String == "UPS-006" && $0["status"] as? String == "abnormal" })
        #expect(of("room-sensor").contains { $0["card"] as? String == "JF-001" })
        // Each bad one is a single UNKNOWN with its reason.
        for bad in ["ups-slow", "ups-dead", "ups-wrong"] {
            let f = of(bad)
            #expect(f.count == 1 && f[0]["card"] as? String == "REACH" && f[0]["status"] as? String == "unknown", "\(bad): \(f)")
            #expect((f[0]["reason"] as? String)?.contains("timeout") == true, "\(bad): \(f)")
        }
        // The community is a secret: it names no target and appears nowhere in the report.
        #expect(!result.stdout.contains("wrong-community") && !result.stdout.contains("slow-ups@"))
        // Worst known result is a warning (Tripp Lite's 115 V and batteryBad, 27.53 C room): a
        // warning outranks the unverified devices.
        #expect(result.status == 1)
        // Each bad device ended on its own request timeout, not on the run's 20 s deadline: none
        // waited behind another. (No wall-clock bound: under load snmpsimd itself is slow, and the
        // HTTP test proves the concurrency of waits by the peer's count instead.)
        for bad in ["ups-slow", "ups-dead", "ups-wrong"] {
            #expect(!((of(bad).first?["reason"] as? String)?.contains("deadline") ?? true), "\(bad) waited for the run's deadline (\(elapsed) s)")
        }
    }
}
