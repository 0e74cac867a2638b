import Foundation
@testable import InspectorApp
import InspectorCore
import Testing
import TestPeers

/// SXKR-006 on a network device: the daemon receives what the switch sends (util-linux `logger`
/// standing in for it), judges it at the next poll, and leaves its counts for `inspect now`.
@Suite(.serialized, .enabled(if: SNMPSimulator.available && FileManager.default.isExecutableFile(atPath: "/usr/bin/logger"),
                             "needs Debian's snmpsim, ../shared/testdata and util-linux logger"))
struct SyslogRunTests {
    static let simulator = SNMPSimulator.shared

    func logger(_ port: UInt16, _ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/logger")
        p.arguments = ["--server", "127.0.0.1", "--port", String(port)] + arguments
        try Spawning.start(p)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    func finding(_ stdout: String, card: String, target: String) throws -> [String: Any] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        return try #require(findings.first { $0["card"] as? String == card && $0["target"] as? String == target },
                            "no \(card) for \(target): \(findings.filter { $0["target"] as? String == target }.map { "\($0["card"] ?? "") \($0["reason"] ?? "")" })")
    }

    func now(_ config: String, _ dir: String, _ extra: [String] = []) async throws -> CommandRunner.Result {
        try await CommandRunner.run(["now", "--config", config, "--no-local", "--spool", "\(dir)/spool", "--state", "\(dir)/state",
                                     "--format", "json", "--deadline", "120"] + extra, timeout: 200)
    }

    /// With no daemon, nothing was received: UNKNOWN with the reason, never "normal".
    @Test func withoutTheDaemonTheLogIsUnknown() async throws {
        let sim = try Self.simulator.get().port
        let dir = CommandRunner.temporaryDirectory()
        let result = try await now(CommandRunner.repo.appendingPathComponent("Config/inspect.yaml").path, dir,
                                   ["--target", "snmp://ios_2960x@127.0.0.1:\(sim)?timeout=5&budget=120#sw1"])
        let f = try finding(result.stdout, card: "SXKR-006", target: "sw1")
        #expect(f["status"] as? String == "unknown", "\(result.stderr)")
        #expect((f["reason"] as? String)?.contains("the daemon's receiver has recorded nothing yet") == true, "\(f)")
    }

    @Test func theDaemonJudgesWhatTheSwitchSends() async throws {
        let sim = try Self.simulator.get().port
        let dir = CommandRunner.temporaryDirectory()
        let profiles = CommandRunner.repo.appendingPathComponent("Config/profiles").path
        let config = try CommandRunner.webConfig(
            in: dir, targets: ["{id: sw1, kind: switch, address: \"snmp://ios_2960x@127.0.0.1:\(sim)?timeout=5&budget=120\", syslog_from: [127.0.0.1]}"],
            schedule: "{interval: 60s, daily_report: \"23:59\"}", checklists: ["server", "network"],
            extra: "paths: {profiles: \(profiles)}\nsyslog: {listen: 127.0.0.1:5514}")
        // Port 0: the receiver picks a free one, which the test then asks for.
        let daemon = try DaemonClockTests.InProcessDaemon(config: config, dir: dir, at: Date()) { $0.syslog?.port = 0 }
        let service = try #require(daemon.daemon.services.compactMap { $0 as? SyslogService }.first)
        let port = try #require(service.port)
        try logger(port, ["--udp", "--rfc3164", "-p", "local7.crit", "-t", "envmon", "PSU 2 failed"])
        try logger(port, ["--tcp", "--rfc5424", "-p", "local7.err", "-t", "ifmgr", "Interface Gi1/0/3 changed state to down"])

        func events(_ state: String) -> [[String: Any]] {
            DaemonTests.events(dir).filter { $0["card"] as? String == "SXKR-006" && $0["state"] as? String == state }
        }
        #expect(await daemon.advance(until: { !events("raised").isEmpty }), "no SXKR-006 alert raised")
        let raised = try #require(events("raised").first)
        #expect(raised["level"] as? String == "critical" && raised["target"] as? String == "sw1")
        #expect(raised["measured"] as? String == "2 msgs; 1 msgs", "\(raised)")
        // The next poll hears nothing new: the alert clears (a log line is an event, not a state).
        #expect(await daemon.advance(until: { !events("cleared").isEmpty }), "SXKR-006 never cleared")
        #expect(events("raised").count == 1)
        #expect(try await daemon.stop(), "the daemon did not stop")

        // `inspect now` reads the counts the daemon left: a first inspection looks back a day.
        let first = try await now(config, dir)
        let f = try finding(first.stdout, card: "SXKR-006", target: "sw1")
        #expect(f["status"] as? String == "abnormal" && f["level"] as? String == "critical", "\(f)\n\(first.stderr)")
        let evidence = (f["evidence"] as? [String] ?? []).joined(separator: "\n")
        #expect(evidence.contains("1× crit: envmon: PSU 2 failed") && evidence.contains("1× err: ifmgr: Interface Gi1/0/3 changed state to down"), "\(evidence)")
        // The next one counts only what came since: nothing.
        let second = try await now(config, dir)
        let g = try finding(second.stdout, card: "SXKR-006", target: "sw1")
        #expect(g["status"] as? String == "normal", "\(g)")
    }
}
