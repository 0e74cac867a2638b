import Foundation
import Testing

/// `inspect now` end to end: the binary, a config, a recorded tree, the spool, the exit code.
@Suite(.serialized)
struct InspectNowTests {
    func now(tree: String, _ extra: [String] = [], dir: String = CommandRunner.temporaryDirectory()) async throws -> (CommandRunner.Result, String) {
        let config = try CommandRunner.config(in: dir)
        let result = try await CommandRunner.run(["now", "--config", config, "--root", "\(CommandRunner.trees)/\(tree)",
                                            "--spool", "\(dir)/spool", "--state", "\(dir)/state", "--cpu-window", "0.05"] + extra)
        return (result, dir)
    }

    /// Nagios exit codes from the worst finding of each tree.
    @Test(arguments: [("healthy-server", Int32(0)), ("stopped-fan", 2), ("hot-sensor", 2), ("missing-hwmon", 3), ("log-errors", 2)])
    func exitCodeIsTheWorstResult(tree: String, status: Int32) async throws {
        let (result, _) = try await now(tree: tree)
        #expect(result.status == status, "\(result.stdout)\n\(result.stderr)")
    }

    @Test func jsonReportIsPrintedAndSpooled() async throws {
        let (result, dir) = try await now(tree: "stopped-fan", ["--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "inspect.report/1")
        let findings = try #require(object["findings"] as? [[String: Any]])
        let fan = try #require(findings.first { $0["card"] as? String == "SXKR-004" && $0["instance"] as? String == "hwmon1/fan1" })
        #expect(fan["status"] as? String == "abnormal")
        #expect(fan["level"] as? String == "critical")
        #expect(fan["severity"] as? String == "P2")
        #expect((fan["source"] as? String)?.contains("fan1_input") == true)
        #expect((fan["reason"] as? String)?.contains("stopped") == true)

        let spooled = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/spool/reports/new")
        #expect(spooled.count == 1 && spooled[0].hasSuffix(".json"))
        let runID = try #require((object["run"] as? [String: Any])?["id"] as? String)
        #expect(spooled[0] == "\(runID).json")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/spool/reports/tmp").isEmpty)
    }

    @Test func otherFormatsAreSpooledBesideTheJSONModel() async throws {
        let (result, dir) = try await now(tree: "healthy-server", ["--format", "html", "--lang", "zh"])
        #expect(result.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(result.stdout.contains("日常巡检记录"))
        let spooled = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/spool/reports/new").sorted()
        #expect(spooled.map { ($0 as NSString).pathExtension } == ["html", "json"])
    }

    @Test func secondRunRemembersBootTimeAndLogPosition() async throws {
        let (first, dir) = try await now(tree: "log-errors")
        #expect(first.status == 2)
        #expect(first.stdout.contains("no earlier inspection") || first.stdout.contains("normal"))
        // The same tree again: no new log messages since the first run's time, same boot.
        let (second, _) = try await now(tree: "log-errors", dir: dir)
        #expect(second.status == 0, "\(second.stdout)")
    }

    @Test func deadlineTurnsASlowTargetIntoUnknown() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let config = try CommandRunner.config(in: dir)
        let started = Date()
        let result = try await CommandRunner.run(["now", "--config", config, "--root", "\(CommandRunner.trees)/healthy-server",
                                            "--spool", "\(dir)/spool", "--state", "\(dir)/state",
                                            "--cpu-window", "30", "--deadline", "0.5", "--format", "json"])
        #expect(result.status == 3)
        #expect(result.stdout.contains("no answer within the run's deadline of 0.5 s"))
        // The run ends at its deadline, not after the 30 s sampling window.
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test func textReportShowsTheCardTable() async throws {
        let (result, _) = try await now(tree: "hot-sensor")
        for column in ["Card", "Device", "Item", "Measured", "Expected", "Result"] { #expect(result.stdout.contains(column)) }
        #expect(result.stdout.contains("SXKR-005  test-host"))
        #expect(result.stdout.contains("Abnormal items:"))
        #expect(result.stdout.contains("What to do:"))
    }

    @Test func liveHostRuns() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let result = try await CommandRunner.run(["now", "--config", try CommandRunner.config(in: dir), "--spool", "\(dir)/spool",
                                            "--state", "\(dir)/state", "--cpu-window", "0.2", "--format", "json"])
        #expect([0, 1, 2, 3].contains(result.status), "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let findings = object?["findings"] as? [[String: Any]] ?? []
        #expect(findings.contains { $0["card"] as? String == "SXKR-001" && $0["status"] as? String != "unknown" })
    }
}
