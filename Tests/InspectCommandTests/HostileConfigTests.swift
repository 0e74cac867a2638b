import Foundation
import Testing

/// Numbers and text from a config or the command line are checked where they enter: each of
/// these crashed the agent (a Swift trap) or was accepted and crashed the first poll.
struct HostileConfigTests {
    static let hostile: [(yaml: String, says: String)] = [
        ("inspection: {deadline: 1e300s}", "inspection.deadline"),
        ("inspection: {deadline: 100000000000s}", "inspection.deadline"),
        ("inspection: {cpu_window: 3000000000}", "inspection.cpu_window"),
        ("inspection: {sample_interval: 1e300}", "inspection.sample_interval"),
        ("schedule: {interval: 1e300}", "schedule.interval"),
        ("targets: [{id: u, address: \"snmp://127.0.0.1:99999\"}]", "port 99999"),
        ("targets: [{id: u, address: \"snmp://127.0.0.1:65536\"}]", "port 65536"),
        ("targets: [{id: w, address: \"http://127.0.0.1:99999/\"}]", "port 99999"),
        ("targets: [{id: u, address: \"snmp://127.0.0.1:161?retries=1e300\"}]", "retries=1e300"),
        ("targets: [{id: u, address: \"snmp://127.0.0.1:161?retries=3000000000\"}]", "retries=3000000000"),
        ("targets: [{id: u, address: \"snmp://127.0.0.1:161?timeout=1e300\"}]", "timeout=1e300"),
        ("targets: [{id: u, address: \"snmp://127.0.0.1:161?max_repetitions=1e300\"}]", "max_repetitions"),
        ("targets: [{id: u, address: \"snmp://127.0.0.1:161?get_batch=3000000000\"}]", "get_batch"),
        ("targets: [{id: w, address: \"http://127.0.0.1:1/\", http: {timeout: 1e300}}]", "http.timeout"),
        ("targets: [{id: w, address: \"http://127.0.0.1:1/\", http: {connect_timeout: 100000000000s}}]", "http.connect_timeout"),
        ("targets: [{id: w, address: \"http://127.0.0.1:1/\", http: {max_body: 99999999999999999999}}]", "http.max_body"),
        ("targets: [{id: w, address: \"http://127.0.0.1:1/\", http: {headers: {X-A: \"a\\r\\nInjected: 1\"}}}]", "must be one line"),
        ("mail: {from: \"a@example.com\\r\\nBcc: x@example.com\"}", "mail.from"),
    ]

    func config(_ dir: String, _ extra: String) throws -> String {
        let path = "\(dir)/inspect.yaml"
        try """
        version: 1
        local: {enabled: false}
        checklists: [\(CommandRunner.repo.appendingPathComponent("Config/checklists/web.yaml").path)]
        \(extra)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: HostileConfigTests.hostile.indices)
    func outOfRangeValuesAreConfigErrorsWithTheirLine(index: Int) async throws {
        let (yaml, says) = Self.hostile[index]
        let dir = CommandRunner.temporaryDirectory()
        let path = try config(dir, yaml)
        for command in [["check-config"], ["now", "--no-local", "--spool", "\(dir)/s", "--state", "\(dir)/t", "--deadline", "5"]] {
            let result = try await CommandRunner.run(command + ["--config", path])
            #expect(result.status == 78, "\(command) \(yaml): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("\(path):4:"), "\(yaml): \(result.stderr)")
            #expect(result.stderr.contains(says), "\(yaml): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
        }
    }

    @Test(arguments: [["--deadline", "1e11"], ["--deadline", "1e300"], ["--cpu-window", "1e300"], ["--cpu-window", "nan"]])
    func outOfRangeFlagsAreUsageErrors(arguments: [String]) async throws {
        let dir = CommandRunner.temporaryDirectory()
        let result = try await CommandRunner.run(["now", "--config", try CommandRunner.config(in: dir), "--spool", "\(dir)/s", "--state", "\(dir)/t"] + arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(arguments[0]), "\(result.stderr)")
    }

    /// A duplicate key used to make the YAML error quote the whole document, passwords and
    /// communities included; now it names the line only, and URLs in messages are masked.
    @Test func errorsNeverQuoteCredentials() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let path = try config(dir, """
        targets:
          - {id: a, address: "http://user:Pa55word@127.0.0.1:1/"}
          - {id: b, address: "snmp://s3cretCommunity@127.0.0.1:1/?bogus=1", id: c}
        """)
        let result = try await CommandRunner.run(["check-config", "--config", path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("\(path):6:") && result.stderr.contains("\"id\" appears twice"), "\(result.stderr)")
        let second = try config(dir, "targets:\n  - {id: b, address: \"snmp://s3cretCommunity@127.0.0.1:1/?bogus=1\"}")
        let unknown = try await CommandRunner.run(["check-config", "--config", second])
        #expect(unknown.status == 78 && unknown.stderr.contains("bogus"), "\(unknown.stderr)")
        for text in [result.stderr, result.stdout, unknown.stderr, unknown.stdout] {
            #expect(!text.contains("Pa55word") && !text.contains("s3cretCommunity"), "\(text)")
        }
    }

    @Test func inlineCredentialsAreAcceptedWithAWarning() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let path = try config(dir, "targets:\n  - {id: a, address: \"http://user:Pa55word@127.0.0.1:1/\"}\n  - {id: u, address: \"snmp://s3cret@127.0.0.1:1/\"}")
        let result = try await CommandRunner.run(["check-config", "--config", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("\(path):5: target a: a password is written in the address"), "\(result.stderr)")
        #expect(result.stderr.contains("\(path):6: target u: the SNMP community is written in the address"), "\(result.stderr)")
        #expect(!result.stderr.contains("Pa55word") && !result.stderr.contains("s3cret@"))
    }

    /// `--target-file` keeps a community out of `ps`; the file is held to the rules of a secrets file.
    @Test func targetFileMustNotBeReadableByOthers() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let file = "\(dir)/targets"
        try "# ad-hoc targets\nsnmp://s3cret@127.0.0.1:1#ups-a\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        let open = try await CommandRunner.run(["targets", "--config", try CommandRunner.config(in: dir), "--no-local", "--target-file", file])
        #expect(open.status == 64 && open.stderr.contains("readable by others"), "\(open.status) \(open.stderr)")
        chmod(file, 0o600)
        let result = try await CommandRunner.run(["targets", "--config", try CommandRunner.config(in: dir), "--no-local", "--target-file", file])
        #expect(result.status == 0 && result.stdout.contains("ups-a\t"), "\(result.stdout) \(result.stderr)")
        #expect(!result.stdout.contains("s3cret"))
    }
}
