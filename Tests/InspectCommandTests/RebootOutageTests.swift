import Foundation
import History
import InspectorApp
import InspectorCore
import Testing
import TestPeers

/// A host that reboots between two polls was down from the first poll to its boot time: the
/// daemon records that outage, and the month's availability counts it.
@Suite(.serialized)
struct RebootOutageTests {
    @Test func aRebootBetweenPollsIsAnOutageInTheMonthsAvailability() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let root = dir + "/root"
        try FileManager.default.copyItem(atPath: "\(CommandRunner.trees)/healthy-server", toPath: root)
        let config = try CommandRunner.config(in: dir, extra: "schedule: {interval: 60s, daily_report: \"23:59\"}")
        // Yesterday: the report counts up to now, so the outage must lie in the past whatever the hour.
        let start = DaemonClockTests.today(10, 0).addingTimeInterval(-86400)
        let daemon = try DaemonClockTests.InProcessDaemon(config: config, dir: dir, at: start, root: root)
        let state = { () -> [String: Any] in
            (FileManager.default.contents(atPath: dir + "/state/alerts.json").flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any]) ?? [:]
        }
        let lastPoll = { ((state()["host"] as? [String: Any])?["lastInspection"] as? Double) }
        #expect(await daemon.advance { lastPoll() != nil }, "the host was never polled")
        let first = try #require(lastPoll())
        // The host goes down after that poll and boots 10 minutes later.
        let boot = Int(first) + 600
        let stat = try String(contentsOfFile: root + "/proc/stat", encoding: .utf8)
        try stat.replacingOccurrences(of: "btime 1795000000", with: "btime \(boot)").write(toFile: root + "/proc/stat", atomically: true, encoding: .utf8)
        let history = try History(path: dir + "/state/history.sqlite")
        #expect(await daemon.advance { ((try? history.outages(from: .distantPast, to: .distantFuture)) ?? []).count == 1 }, "no outage recorded")
        let outage = try #require(try history.outages(from: .distantPast, to: .distantFuture).first)
        #expect(outage.kind == "reboot" && outage.target == "test-host")
        #expect(outage.from == Date(timeIntervalSince1970: first) && outage.to == Date(timeIntervalSince1970: Double(boot)))
        #expect(try await daemon.stop())

        let month = DaemonClockTests.month(start)
        let json = try await CommandRunner.run(["report", "--kind", "monthly", "--period", month, "--format", "json", "--config", config,
                                                "--spool", dir + "/spool", "--state", dir + "/state"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stderr)")
        let outages = try #require(object["outages"] as? [[String: Any]])
        #expect(outages.map { $0["kind"] as? String } == ["reboot"] && outages.first?["minutes"] as? Double == 10)
        let available = try #require((object["availability"] as? [String: Double])?["test-host"])
        #expect(available < 100)
    }
}
