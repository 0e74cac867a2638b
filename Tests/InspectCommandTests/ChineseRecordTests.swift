import Foundation
import Testing
import TestPeers

/// The zh record reads like the form: no English word in any rendered format, beyond what a
/// Chinese form writes as it is (ids, units, OIDs, paths, the names devices give themselves).
struct ChineseRecordTests {
    /// Words a zh record may hold in Latin letters: technical names written that way on Chinese
    /// forms, the names this recorded server gives its sensors and processes, and this run's ids.
    static let allowed: Set<String> = [
        "CPU", "I/O", "inode", "HTTP", "DNS", "TLS", "JSON", "SNMP", "UTC", "MIB", "OID", "ifAlias", "err", "crit",
        "statvfs", "btime", "hwmon", "thermal_zone", "temp", "fan", "proc", "sys",
        "test-host", "sshd", "telnetd", "nct", "coretemp", "Package", "id", "Core", "acpitz", "data",
        "inspect", "now", "observations",
    ]

    /// The ASCII words of a rendered record that are not allowed: ids (SXKR-001, JF-104, P2) and
    /// paths are taken out first, and HTML tags and styles.
    static func strayWords(_ text: String, host: String, runID: String) -> [String] {
        var s = text
        for name in [runID, host] {
            s = s.replacingOccurrences(of: "(?<![A-Za-z0-9])\(NSRegularExpression.escapedPattern(for: name))(?![A-Za-z0-9])", with: " ", options: .regularExpression)
        }
        s = s.replacingOccurrences(of: "<style>[\\s\\S]*?</style>", with: " ", options: .regularExpression)
        s = s.replacingOccurrences(of: "<!DOCTYPE html>", with: " ")
        s = s.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        s = s.replacingOccurrences(of: "&[a-z#0-9]+;", with: " ", options: .regularExpression)
        s = s.replacingOccurrences(of: "(/[\\w.*\\-]+)+", with: " ", options: .regularExpression)           // paths
        s = s.replacingOccurrences(of: "\\b[A-Z]+-[0-9]+\\b|\\bP[1-4]\\b", with: " ", options: .regularExpression)   // card ids, priorities
        s = s.replacingOccurrences(of: "I/O", with: " ")
        let words = s.matches(of: /[A-Za-z][A-Za-z_\-]+/).map { String($0.output) }
        return Array(Set(words.filter { !allowed.contains($0) })).sorted()
    }

    @Test(arguments: ["text", "html", "md", "csv"])
    func noEnglishWordInTheZhRecord(format: String) async throws {
        let dir = CommandRunner.temporaryDirectory()
        let config = try ObservationTests.config(in: dir)
        try """
        by: 张工
        observations:
          - {card: JF-102, target: test-host, result: 正常}
          - {card: JF-104, target: A机房, result: 异常, remarks: 地线松动}
        """.write(toFile: "\(dir)/obs.yaml", atomically: true, encoding: .utf8)
        let result = try await ObservationTests.now(dir, config, ["--observations", "\(dir)/obs.yaml", "--lang", "zh", "--format", format])
        #expect(!result.stdout.isEmpty, "\(result.stderr)")
        let json = try #require(FileManager.default.contentsOfDirectory(atPath: "\(dir)/spool/reports/new").first { $0.hasSuffix(".json") })
        let runID = String(json.dropLast(".json".count))
        let host = ProcessInfo.processInfo.hostName
        let stray = Self.strayWords(result.stdout, host: host, runID: runID)
        #expect(stray.isEmpty, "\(format): \(stray)\n\(result.stdout)")
        // It is the form: the header, the manual rows and the sign-off are there.
        // The day's summary of the same run reads the same way.
        let daily = try await CommandRunner.run(["report", "--kind", "daily", "--config", config, "--spool", "\(dir)/spool", "--state", "\(dir)/state",
                                                 "--lang", "zh", "--format", format])
        #expect(daily.status == 0 && (format == "csv" || daily.stdout.contains("日报")), "\(daily.stderr)")
        let strayDaily = Self.strayWords(daily.stdout, host: host, runID: runID)
        #expect(strayDaily.isEmpty, "daily \(format): \(strayDaily)\n\(daily.stdout)")
        #expect(result.stdout.contains("未检查"))
        if format != "csv" { #expect(result.stdout.contains("巡检单位") && result.stdout.contains("巡检人")) }
    }

    /// A device that does not answer: 不正常（设备无法访问）, and why, in Chinese.
    @Test func anUnreachableDeviceInChinese() async throws {
        let agents = try SilentAgents(count: 1)
        let dir = CommandRunner.temporaryDirectory()
        let result = try await CommandRunner.run([
            "now", "--config", CommandRunner.repo.appendingPathComponent("Config/inspect.yaml").path, "--no-local", "--lang", "zh",
            "--spool", "\(dir)/spool", "--state", "\(dir)/state", "--target", "snmp://public@127.0.0.1:\(agents.ports[0])?timeout=0.3&retries=0#ups-b",
        ])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout.contains("不正常（设备无法访问）"), "\(result.stdout)")
        #expect(result.stdout.contains("目标无法读取：超时：udp:127.0.0.1:\(agents.ports[0]) v2c 无应答（设备宕机、被过滤或团体名错误）"), "\(result.stdout)")
    }

    /// The check itself finds English when it is there.
    @Test func theCheckFindsEnglish() {
        #expect(Self.strayWords("CPU利用率 正常 not checked /proc/stat SXKR-001 P2", host: "vm", runID: "r1") == ["checked", "not"])
    }
}
