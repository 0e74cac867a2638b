import Foundation
import Testing

/// Bad input gets a clear error and the documented exit code.
struct CommandErrorTests {
    @Test func malformedConfigExits78WithLocation() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let path = "\(dir)/bad.yaml"
        try "version: 1\ninspection:\n  deadlin: 5s\n".write(toFile: path, atomically: true, encoding: .utf8)
        for command in [["check-config"], ["now", "--spool", "\(dir)/s", "--state", "\(dir)/t"], ["targets"]] {
            let result = try await CommandRunner.run(command + ["--config", path])
            #expect(result.status == 78, "\(command)")
            #expect(result.stderr.contains("\(path):3:3: inspection: unknown key \"deadlin\"; did you mean \"deadline\"?"), "\(result.stderr)")
        }
    }

    @Test func checkConfigAcceptsTheShippedConfig() async throws {
        let result = try await CommandRunner.run(["check-config", "--config", CommandRunner.repo.appendingPathComponent("Config/inspect.yaml").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("OK — 48 cards"))
        // A check that passes says one line (systemd's ExecStartPre puts it in the journal at every start).
        #expect(result.stdout.split(separator: "\n").count == 1, "\(result.stdout)")
        let listed = try await CommandRunner.run(["check-config", "--list", "--config", CommandRunner.repo.appendingPathComponent("Config/inspect.yaml").path])
        #expect(listed.stdout.contains("  card SXKR-001 [P3]") && listed.stdout.contains("  target "), "\(listed.stdout)")
    }

    /// An SNMP target without a kind is judged with the cards of the kind detected at its first
    /// poll: `targets` says so rather than list the server cards.
    @Test func targetsSayWhenTheCardsWaitForDetection() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let config = dir + "/inspect.yaml"
        try """
        version: 1
        local: {enabled: false}
        checklists: [\(CommandRunner.repo.appendingPathComponent("Config/checklists/server.yaml").path), \(CommandRunner.repo.appendingPathComponent("Config/checklists/ups.yaml").path)]
        targets:
          - {id: box, address: "snmp://public@127.0.0.1:1"}
          - {id: ups-a, kind: ups, address: "snmp://public@127.0.0.1:1"}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try await CommandRunner.run(["targets", "--config", config])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first { $0.hasPrefix("box\t") }?.contains("cards: decided at the first poll") == true, "\(result.stdout) \(result.stderr)")
        #expect(lines.first { $0.hasPrefix("ups-a\t") }?.hasSuffix("cards: UPS-001 UPS-002 UPS-003 UPS-004 UPS-005 UPS-006 UPS-007") == true, "\(result.stdout)")
    }

    @Test(arguments: [["--target", "ftp://x"], ["--target", "nohost"], ["--deadline", "-1"], ["--format", "pdf"], ["--lang", "fr"]])
    func badArgumentsAreUsageErrors(arguments: [String]) async throws {
        let dir = CommandRunner.temporaryDirectory()
        let result = try await CommandRunner.run(["now", "--config", try CommandRunner.config(in: dir), "--spool", "\(dir)/s", "--state", "\(dir)/t"] + arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test func unwritableSpoolExits70AfterPrintingTheReport() async throws {
        let dir = CommandRunner.temporaryDirectory()
        FileManager.default.createFile(atPath: "\(dir)/spool", contents: Data("a file, not a directory".utf8))
        let result = try await CommandRunner.run(["now", "--config", try CommandRunner.config(in: dir), "--root", "\(CommandRunner.trees)/healthy-server",
                                            "--spool", "\(dir)/spool", "--state", "\(dir)/state", "--cpu-window", "0.05"])
        #expect(result.status == 70)
        #expect(result.stdout.contains("Daily inspection record"))
        #expect(result.stderr.contains("not spooled") && result.stderr.contains("\(dir)/spool"), "\(result.stderr)")
    }

    /// Short relative spool paths trapped in NSString after the report was printed, spooling nothing.
    @Test(arguments: ["s", "x/y", "a/bc"])
    func shortRelativeSpoolPathsAreCreated(spool: String) async throws {
        let dir = CommandRunner.temporaryDirectory()
        let result = try await CommandRunner.run(["now", "--config", try CommandRunner.config(in: dir), "--root", "\(CommandRunner.trees)/healthy-server",
                                                  "--spool", spool, "--state", "t", "--cpu-window", "0.05"], in: dir)
        #expect(result.status != 132 && result.stdout.contains("Daily inspection record"), "\(result.status) \(result.stderr)")
        let reports = (try? FileManager.default.contentsOfDirectory(atPath: "\(dir)/\(spool)/reports/new")) ?? []
        #expect(reports.contains { $0.hasSuffix(".json") }, "\(reports)")
    }

    @Test func versionAndHelp() async throws {
        #expect(try await CommandRunner.run(["version"]).stdout.hasPrefix("inspect "))
        let help = try await CommandRunner.run(["now", "--help"])
        for option in ["--config", "--root", "--spool", "--state", "--format", "--lang", "--target", "--no-local", "--deadline"] {
            #expect(help.stdout.contains(option), "help lacks \(option)")
        }
    }

    @Test func adHocTargetIdComesFromFragmentNeverFromTheCommunity() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let result = try await CommandRunner.run(["targets", "--config", try CommandRunner.config(in: dir), "--no-local",
                                            "--target", "snmp://s3cret@127.0.0.1:1161", "--target", "snmp://s3cret@127.0.0.1:1162#ups-a"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("127.0.0.1:1161\t"))
        #expect(result.stdout.contains("ups-a\t"))
        #expect(!result.stdout.contains("s3cret"))
    }
}

/// `inspect smart-snapshot` with Debian's real smartctl: whatever disks this machine has, the file
/// is written whole and says whether smartctl ran and as whom.
struct SmartSnapshotCommandTests {
    @Test func writesWhatSmartctlAnswered() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let out = "\(dir)/smart.json"
        let result = try await CommandRunner.run(["smart-snapshot", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(doc["installed"] as? Bool == FileManager.default.isExecutableFile(atPath: "/usr/sbin/smartctl"))
        #expect(doc["root"] as? Bool == (geteuid() == 0))
        let taken = try #require(doc["taken"] as? Double)
        #expect(abs(taken - Date().timeIntervalSince1970) < 120)
        #expect(result.stdout.hasPrefix("\(out): "))
        let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
        #expect(mode == 0o644)
        // Nowhere to write: exit 73 and the path.
        let refused = try await CommandRunner.run(["smart-snapshot", "--out", "/nonexistent/dir/smart.json"])
        #expect(refused.status == 73 && refused.stderr.contains("/nonexistent/dir"))
    }
}
