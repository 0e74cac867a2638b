import Foundation
import Testing
import TestPeers

/// `inspect now` over SNMP: healthy, slow, stopped and misconfigured devices in one run.
@Suite(.serialized, .enabled(if: SNMPSimulator.available, "needs Debian's snmpsim and ../shared/testdata"))
struct SNMPRunTests {
    static let simulator = Result { try SNMPSimulator() }
    static let slow = Result { try SNMPSimulator(slowMilliseconds: 3000) }

    @Test func oneBadDeviceNeverStallsTheOthers() async throws {
        let sim = try Self.simulator.get().port, slow = try Self.slow.get().port
        let dead = Peers.freePort()
        let dir = CommandRunner.temporaryDirectory()
        let started = Date()
        let result = try await CommandRunner.run([
            "now", "--config", CommandRunner.repo.appendingPathComponent("Config/inspect.yaml").path, "--no-local",
            "--spool", "\(dir)/spool", "--state", "\(dir)/state", "--format", "json", "--deadline", "20",
            "--target", "snmp://tripplite@127.0.0.1:\(sim)?timeout=3#ups-tripp",
            "--target", "snmp://serverscheck@127.0.0.1:\(sim)?timeout=3#room-sensor",
            "--target", "snmp://slow-ups@127.0.0.1:\(slow)?timeout=0.5&retries=1#ups-slow",
            "--target", "snmp://public@127.0.0.1:\(dead)?timeout=0.5&retries=1#ups-dead",
            "--target", "snmp://wrong-community@127.0.0.1:\(sim)?timeout=0.5&retries=0#ups-wrong",
        ])
        let elapsed = Date().timeIntervalSince(started)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        let findings = try #require(object["findings"] as? [[String: Any]])
        func of(_ target: String) -> [[String: Any]] { findings.filter { $0["target"] as? String == target } }
        // The healthy devices are read and judged by their own cards.
        #expect(of("ups-tripp").contains { $0["card"] as? String == "UPS-006" && $0["status"] as? String == "abnormal" })
        #expect(of("room-sensor").contains { $0["card"] as? String == "JF-001" })
        // Each bad one is a single UNKNOWN with its reason.
        for bad in ["ups-slow", "ups-dead", "ups-wrong"] {
            let f = of(bad)
            #expect(f.count == 1 && f[0]["card"] as? String == "REACH" && f[0]["status"] as? String == "unknown", "\(bad): \(f)")
            #expect((f[0]["reason"] as? String)?.contains("timeout") == true)
        }
        // The community is a secret: it names no target and appears nowhere in the report.
        #expect(!result.stdout.contains("wrong-community") && !result.stdout.contains("slow-ups@"))
        // Worst known result is a warning (Tripp Lite's 115 V and batteryBad, 27.53 C room): a
        // warning outranks the unverified devices.
        #expect(result.status == 1)
        // Concurrent: bounded by the slowest budget (about 1 s each), not the sum of all.
        #expect(elapsed < 10, "took \(elapsed) s")
    }
}
