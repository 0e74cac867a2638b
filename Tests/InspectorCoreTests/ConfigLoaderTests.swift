import Foundation
import Testing
@testable import InspectorCore

/// Malformed configs are rejected with file, line, column and what was expected.
struct ConfigLoaderTests {
    static let shippedConfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Config/inspect.yaml").standardized.path

    func write(_ text: String, name: String = "inspect.yaml", in dir: String? = nil) throws -> String {
        let dir = dir ?? NSTemporaryDirectory() + "inspect-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = "\(dir)/\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func shippedConfigIsValid() throws {
        let config = try ConfigLoader.load(file: Self.shippedConfig, hostname: "test-host")
        #expect(config.local?.id == "test-host")
        // SXKR-003 is the form's 设备模块运行状况 (network devices); the host's processes and mounts are SRV-003.
        #expect(config.cards.map(\.id) == ["SXKR-001", "SXKR-002", "SXKR-003", "SRV-003"] + (4...10).map { String(format: "SXKR-%03d", $0) } + ["SRV-004", "SRV-005"] + (1...7).map { "UPS-00\($0)" }
                + (1...4).map { "JF-00\($0)" } + (1...4).map { "WEB-00\($0)" } + (1...4).map { "PORT-00\($0)" }
                + ["PDU-001", "PDU-002", "PDU-003", "AC-001", "AC-002"] + ["NET-001", "NET-002", "BAK-001"] + (101...108).map { "JF-\($0)" })
        // The round's manual items: no checks, an expected result in both languages.
        let manual = config.cards.filter(\.manual)
        #expect(manual.count == 8 && manual.allSatisfy { $0.checks.isEmpty && $0.expected != nil && $0.title.zh != $0.title.en })
        #expect(config.profiles.map(\.id) == ["apc-inrow", "apc-netbotz", "apc-rpdu", "cisco-envmon", "cisco-fru", "cisco-memory", "cisco-process", "cisco-stackwise",
                                              "entity-sensor", "entity-state", "fortigate", "h3c-entity", "h3c-fan-psu", "host-resources",
                                              "hp-procurve", "huawei-entity", "huawei-fan-psu", "hwgroup-poseidon", "if-mib", "juniper-chassis",
                                              "lm-sensors", "sentry4", "serverscheck", "stulz-wib8000", "synology-dsm", "ucd-snmp", "ups-mib", "zte-zxa10"])
        #expect(config.inspection.cpuWindow == 1)
        #expect(config.card("SXKR-001")?.checks.map(\.stat) == [.avg, .max])
        #expect(config.card("SXKR-001")?.checks.map(\.window) == [3600, 3600])
    }

    /// As packaged: checklists and profiles shipped under /usr/share/inspect, with files of the
    /// same name beside the config (/etc/inspect) taking their place.
    @Test func filesBesideTheConfigOverrideTheShippedOnes() throws {
        let shipped = NSTemporaryDirectory() + "inspect-shipped-\(UUID().uuidString)"
        let repo = URL(fileURLWithPath: Self.shippedConfig).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: shipped, withIntermediateDirectories: true)
        for dir in ["checklists", "profiles"] { try FileManager.default.copyItem(atPath: "\(repo)/\(dir)", toPath: "\(shipped)/\(dir)") }
        let config = try write("version: 1\nchecklists: [checklists/ups.yaml]\n")
        let etc = URL(fileURLWithPath: config).deletingLastPathComponent().path
        // Only the shipped data: every shipped profile, the shipped checklist.
        let plain = try ConfigLoader.load(file: config, hostname: "h", shipped: shipped)
        #expect(plain.profiles.count == 28 && plain.card("UPS-001") != nil)
        #expect(plain.profiles.first { $0.id == "ups-mib" }?.definedIn == "\(shipped)/profiles/ups-mib.yaml")
        // A local ups-mib.yaml replaces the shipped file of that name; a local checklist replaces the shipped one.
        try FileManager.default.createDirectory(atPath: "\(etc)/profiles", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(etc)/checklists", withIntermediateDirectories: true)
        try String(contentsOfFile: "\(shipped)/profiles/ups-mib.yaml", encoding: .utf8).replacingOccurrences(of: "title: ", with: "title: Local ")
            .write(toFile: "\(etc)/profiles/ups-mib.yaml", atomically: true, encoding: .utf8)
        try "cards:\n  - {id: LOCAL-001, title: {zh: 本地, en: Local}, category: power, applies_to: [ups], severity: P2, checks: [{metric: ups.output_load, warning: \"80\"}]}\n"
            .write(toFile: "\(etc)/checklists/ups.yaml", atomically: true, encoding: .utf8)
        let local = try ConfigLoader.load(file: config, hostname: "h", shipped: shipped)
        let ups = local.profiles.first { $0.id == "ups-mib" }
        #expect(local.profiles.count == 28 && ups?.definedIn == "\(etc)/profiles/ups-mib.yaml" && ups?.title.hasPrefix("Local ") == true)
        #expect(local.card("LOCAL-001") != nil && local.card("UPS-001") == nil)
        // Neither here nor shipped: the error names both places.
        let missing = try write("version: 1\nchecklists: [checklists/nope.yaml]\n")
        #expect(throws: ConfigError.self) { try ConfigLoader.load(file: missing, hostname: "h", shipped: shipped) }
        do { _ = try ConfigLoader.load(file: missing, hostname: "h", shipped: shipped) } catch {
            #expect(error.line == 2 && error.description.contains("\(shipped)/checklists/nope.yaml"), "\(error)")
        }
    }

    /// Secrets files are checked at load for HTTP and mail as for SNMP: missing, or readable by
    /// others, is a config error at the line that names them.
    @Test func secretsFilesOfHTTPAndMailAreCheckedAtLoad() throws {
        let dir = NSTemporaryDirectory() + "inspect-secrets-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let open = "\(dir)/open.secret"
        try "password=x\n".write(toFile: open, atomically: true, encoding: .utf8)
        chmod(open, 0o644)
        let cases: [(String, Int, String)] = [
            ("targets:\n  - id: web\n    address: https://127.0.0.1/\n    http: {secrets: \(dir)/missing.secret}\n", 4, "does not exist"),
            ("mail:\n  from: a@example.com\n  smtp_url: smtp://127.0.0.1:25\n  secrets: \(open)\n", 4, "readable by others"),
        ]
        for (text, line, fragment) in cases {
            let path = try write("version: 1\nlocal: {enabled: false}\n" + text, in: dir)
            #expect(throws: ConfigError.self) { try ConfigLoader.load(file: path) }
            do { _ = try ConfigLoader.load(file: path) } catch {
                #expect(error.line == line + 2 && error.message.contains(fragment), "\(error)")
            }
        }
    }

    /// A port pattern is compiled when the config is read: a broken one is refused with its line.
    @Test func portPatternsAreCompiledAtLoad() throws {
        let good = try write("version: 1\nlocal: {enabled: false}\ntargets:\n  - id: sw\n    address: snmp://10.0.0.2\n"
                             + "    ports: {expected_down: [Gi1/0/48], expected_down_alias: \"(?i)spare|备用\"}\n")
        let config = try ConfigLoader.load(file: good)
        #expect(config.targets.first?.ports.expectsDown(name: "Gi1/0/2", instance: "port 2", alias: "SPARE uplink") == true)
        #expect(config.targets.first?.ports.expectsDown(name: "Gi1/0/48", instance: "port 48", alias: nil) == true)
        #expect(config.targets.first?.ports.expectsDown(name: "Gi1/0/3", instance: "port 3", alias: "server 3") == false)
        let bad = try write("version: 1\nlocal: {enabled: false}\ntargets:\n  - id: sw\n    address: snmp://10.0.0.2\n"
                            + "    ports: {expected_down_alias: \"spare(\"}\n")
        do { _ = try ConfigLoader.load(file: bad); Issue.record("a broken pattern was accepted") } catch {
            #expect(error.line == 6 && error.message.contains("not a valid regular expression"), "\(error)")
        }
    }

    /// The syslog receiver's section: an address of this host, never a name; errors name the line.
    @Test func syslogSectionIsValidated() throws {
        let good = try write("version: 1\nlocal: {enabled: false}\nsyslog: {listen: \"[::1]:5514\", protocols: [udp], rate_limit: 50}\n"
                             + "targets:\n  - {id: sw, address: snmp://10.0.0.2, syslog_from: [10.0.1.2]}\n")
        let config = try ConfigLoader.load(file: good)
        #expect(config.syslog?.host == "::1" && config.syslog?.port == 5514 && config.syslog?.udp == true && config.syslog?.tcp == false)
        #expect(config.syslog?.rateLimit == 50 && config.targets.first?.syslogFrom == ["10.0.1.2"])
        #expect(try ConfigLoader.load(file: try write("version: 1\nlocal: {enabled: false}\n")).syslog == nil)
        for (text, line, message) in [
            ("syslog: {listen: localhost:514}", 3, "is an IP address and a port"),
            ("syslog: {listen: 127.0.0.1:70000}", 3, "port 70000"),
            ("syslog: {protocols: [udp, sctp]}", 3, "list of udp and tcp"),
            ("targets:\n  - {id: sw, address: snmp://10.0.0.2, syslog_from: [core-sw1]}", 4, "not one"),
        ] {
            let file = try write("version: 1\nlocal: {enabled: false}\n\(text)\n")
            do { _ = try ConfigLoader.load(file: file); Issue.record("accepted: \(text)") } catch {
                #expect(error.line == line && error.message.contains(message), "\(error)")
            }
        }
    }

    static let card = """
    cards:
      - id: T-1
        title: {zh: 测试, en: Test}
        checks:
          - {metric: cpu.utilisation, warning: "~:50"}

    """

    /// (config text, expected line, expected column, a fragment of the message)
    static let malformed: [(String, Int, Int, String)] = [
        ("version: 1\nlocal: [unclosed\n", 3, 1, "YAML syntax error"),
        ("version: 1\ntargtes: []\n", 2, 1, "unknown key \"targtes\"; did you mean \"targets\"?"),
        ("inspection:\n  deadline: soon\n", 2, 13, "expected a duration"),
        ("inspection:\n  cpu_window: [1]\n", 2, 15, "expected a string, found a list"),
        (card + "targets:\n  - {id: a, address: local}\n  - {id: a, address: local}\n", 8, 5, "duplicate target id \"a\""),
        (card + "  - id: T-1\n    title: again\n    checks: [{metric: x, warning: \"1\"}]\n", 6, 5, "duplicate card id \"T-1\""),
        ("cards:\n  - id: T-2\n    title: x\n    checks:\n      - {metric: m, warning: \"20:10\"}\n", 5, 30, "starts after it ends"),
        ("cards:\n  - id: T-3\n    title: x\n    checks:\n      - {metric: m, warning: \"abc\"}\n", 5, 30, "\"abc\" is not a number"),
        ("cards:\n  - id: T-4\n    title: x\n    severity: P9\n    checks: [{metric: m, warning: \"1\"}]\n", 4, 15, "\"P9\" is not one of: P1, P2, P3, P4"),
        ("cards:\n  - id: T-5\n    title: x\n    checks: [{metric: m}]\n", 4, 14, "has no limits"),
        ("cards:\n  - id: T-6\n    title: x\n    checks: [{metric: m, warning: \"1\", window: 1h}]\n", 4, 48, "window applies to stat avg, max or min"),
        ("cards:\n  - id: T-7\n    title: x\n    checks: [{metric: m, stat: avg, warning: \"1\", window: 5s}]\n", 4, 59, "at least a minute"),
        ("targets:\n  - {id: x, address: \"ftp://host\"}\n", 2, 22, "scheme \"ftp\" is not supported"),
        ("targets:\n  - {id: x, address: \"10.0.0.1\"}\n", 2, 22, "is not a URL"),
        (card + "local:\n  overrides:\n    - {card: T-2, warning: \"1\"}\n", 8, 14, "unknown card \"T-2\"; did you mean \"T-1\"?"),
        ("schedule:\n  daily_report: \"25:00\"\n", 2, 17, "expected a time of day"),
        ("local:\n  enabled: maybe\n", 2, 12, "expected true or false"),
        ("mail:\n  lang: fr\n", 2, 9, "\"fr\" is not one of: zh, en"),
        ("version: 2\n", 1, 10, "unsupported config version 2"),
        ("targets:\n  - id: w\n    address: \"http://h/\"\n    http:\n      body_regex: \"(unclosed\"\n", 5, 19, "not a valid regular expression"),
        ("targets:\n  - id: w\n    address: \"http://h/\"\n    http:\n      expect_status: [200, 999]\n", 5, 22, "\"999\" is not a status code"),
        ("targets:\n  - id: s\n    address: \"snmp://h\"\n    http: {method: GET}\n", 4, 11, "applies to http:// and https:// targets only"),
        ("targets:\n  - id: w\n    address: \"http://h/\"\n    http: {json: [{pointer: temperature, metric: t}]}\n", 4, 19, "must start with /"),
        ("targets:\n  - {id: x, address: local, metrics: [{metric: m, oid: 1.3.6.1.2.1.1.3.0}]}\n", 2, 38, "apply to SNMP targets only"),
        ("targets:\n  - {id: x, address: \"snmp://h\", metrics: [{metric: m, oid: sysUpTime}]}\n", 2, 61, "not a numeric OID"),
    ]

    @Test(arguments: malformed)
    func rejectsWithLocation(text: String, line: Int, column: Int, fragment: String) throws {
        let path = try write(text)
        do {
            _ = try ConfigLoader.load(file: path, hostname: "h")
            Issue.record("accepted a malformed config")
        } catch {
            #expect(error.file == path)
            #expect(error.line == line, "\(error)")
            #expect(error.column == column, "\(error)")
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test func reachabilityTargetsAreRead() throws {
        let shipped = URL(fileURLWithPath: Self.shippedConfig).deletingLastPathComponent().path
        let path = try write("""
        checklists: [\(["reach", "web", "server"].map { "\(shipped)/checklists/\($0).yaml" }.joined(separator: ", "))]
        targets:
          - {id: db1, address: "ping://10.0.0.20", reach: {count: 3, interval: 500ms, timeout: 1s}}
          - {id: v6, address: "ping://[2001:db8::1]"}
          - {id: ssh, address: "tcp://db1.example:22", reach: {banner: "^SSH-2\\\\.0"}}
          - {id: smtps, address: "tcp://10.0.0.25:465", kind: host, reach: {tls: true, tls_verify: false}}
        """)
        let config = try ConfigLoader.load(file: path, hostname: "h")
        let byId = Dictionary(uniqueKeysWithValues: config.targets.map { ($0.id, $0) })
        #expect(byId["db1"]?.endpoint == .ping(host: "10.0.0.20"))
        #expect(byId["db1"]?.reach.count == 3 && byId["db1"]?.reach.interval == 0.5 && byId["db1"]?.reach.timeout == 1)
        #expect(byId["v6"]?.endpoint == .ping(host: "2001:db8::1"))
        #expect(byId["ssh"]?.endpoint == .tcp(host: "db1.example", port: 22))
        #expect(byId["ssh"]?.reach.banner == "^SSH-2\\.0")
        #expect(byId["smtps"]?.reach.tls == true && byId["smtps"]?.reach.tlsVerify == false)
        // Only the cards naming the scheme apply, whatever the kind: NET-001 to a ping target, NET-002
        // and WEB-003 (the certificate) to a tcp one; none of the server cards.
        let applied = { (id: String) in config.cards.filter { $0.applies(to: byId[id]!) }.map(\.id).sorted() }
        #expect(applied("db1") == ["NET-001"])
        #expect(applied("smtps") == ["NET-002", "WEB-003"])
    }

    @Test func backupsBecomeTargetsWithTheirOwnLimits() throws {
        let path = try write("""
        backups:
          - {id: db-dump, path: "/var/backups/db/*.sql.gz", max_age: 26h, min_size: 1MB, min_ratio: 0.5}
          - {id: etc, unit: backup-etc.service, max_age: 26h}
          - {id: tape, log: /var/log/backup.log, success: "Backup completed", max_age: 7d, labels: {room: A}}
        """)
        let config = try ConfigLoader.load(file: path, hostname: "h")
        #expect(config.targets.map(\.id) == ["db-dump", "etc", "tape"])
        #expect(config.targets.allSatisfy { $0.kind == .backup && $0.endpoint == .backup })
        let db = config.targets[0]
        #expect(db.backup == BackupCheck(id: "db-dump", source: .files(glob: "/var/backups/db/*.sql.gz"), maxAge: 26 * 3600, minSize: 1_048_576, minRatio: 0.5))
        #expect(db.overrides.map(\.metric) == ["backup.age_hours", "backup.size_mb", "backup.size_ratio_percent"])
        #expect(db.overrides[1].thresholds.critical == NagiosRange(start: 1, end: .infinity))
        #expect(config.targets[1].backup?.source == .unit("backup-etc.service"))
        #expect(config.targets[2].backup?.source == .log(path: "/var/log/backup.log", success: "Backup completed", failure: nil))
        #expect(config.targets[2].overrides[0].thresholds.critical == NagiosRange(start: -.infinity, end: 168))
        #expect(config.targets[2].labels == ["room": "A"])
    }

    @Test func checklistErrorsNameTheChecklistFile() throws {
        let dir = NSTemporaryDirectory() + "inspect-config-\(UUID().uuidString)"
        let list = try write("cards:\n  - id: X-1\n    titel: x\n", name: "bad.yaml", in: dir)
        let main = try write("checklists: [bad.yaml]\n", in: dir)
        #expect { try ConfigLoader.load(file: main, hostname: "h") } throws: { error in
            let e = error as! ConfigError
            return e.file == list && e.line == 3 && e.description.contains("did you mean \"title\"?")
        }
    }

    @Test func missingFileIsAConfigError() {
        #expect { try ConfigLoader.load(file: "/nonexistent/inspect.yaml") } throws: { error in
            (error as! ConfigError).description.contains("does not exist")
        }
    }

    @Test func overridesAndLabelsAreRead() throws {
        let path = try write(Self.card + """
        local: {enabled: false}
        targets:
          - id: db-01
            address: local
            labels: {room: A, rack: "3"}
            overrides:
              - {card: T-1, metric: cpu.utilisation, warning: {max: 90}}
        """)
        let config = try ConfigLoader.load(file: path, hostname: "h")
        #expect(config.local == nil)
        let t = try #require(config.targets.first)
        #expect(t.labels == ["room": "A", "rack": "3"])
        #expect(t.overrides.first?.thresholds.warning?.alerts(91) == true)
        #expect(t.overrides.first?.thresholds.warning?.alerts(90) == false)
    }
}

struct ExpressionTests {
    @Test(arguments: [("100 * (total - free) / total", 75.0), ("-a + b * 2", 7.0), ("(a + b) / (a - a)", nil),
                           // TimeTicks after a wrap: uptime 100, last change 4294967196 -> 200 ticks ago.
                           ("(a * 100 - 4294967196) % 4294967296", 200.0), ("b % 3", 1.0), ("a % 0", nil)])
    func evaluates(text: String, expected: Double?) throws {
        let values = ["total": 400.0, "free": 100, "a": 1, "b": 4]
        #expect(try Expression.parse(text).evaluate({ values[$0] }, delta: { _ in nil }) == expected)
    }

    @Test func deltasAndNames() throws {
        let e = try Expression.parse("100 * delta(busy) / delta(total)")
        #expect(e.usesDelta && e.names == ["busy", "total"])
        #expect(e.evaluate({ _ in nil }, delta: { $0 == "busy" ? 25 : 100 }) == 25)
    }

    @Test(arguments: ["1 +", "(1", "delta(1)", "a $ b", "2..3"])
    func rejectsMalformed(text: String) {
        #expect(throws: Expression.ParseError.self) { try Expression.parse(text) }
    }
}
