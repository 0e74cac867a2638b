import Foundation
import Testing

/// The round's manual items end to end: the blank form, the observations file filled in, and
/// what the record then says; bad files and rows are refused with their line.
struct ObservationTests {
    /// A healthy recorded server in room "A机房", judged by the server cards and the manual items.
    static func config(in dir: String) throws -> String {
        let lists = ["server", "manual"].map { CommandRunner.repo.appendingPathComponent("Config/checklists/\($0).yaml").path }
        let path = "\(dir)/inspect.yaml"
        try """
        version: 1
        checklists: [\(lists.joined(separator: ", "))]
        site: {organisation: 示例单位信息中心, confidential: true}
        local:
          id: test-host
          labels: {room: A机房}
          processes: {required: [sshd], forbidden: [telnetd]}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func now(_ dir: String, _ config: String, _ extra: [String]) async throws -> CommandRunner.Result {
        try await CommandRunner.run(["now", "--config", config, "--root", "\(CommandRunner.trees)/healthy-server", "--cpu-window", "0.05",
                                     "--spool", "\(dir)/spool", "--state", "\(dir)/state"] + extra)
    }

    /// `inspect form --format yaml` is the observations file; filled in, it becomes the record.
    @Test func theBlankFormFilledInBecomesTheRecord() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let config = try Self.config(in: dir)
        let form = try await CommandRunner.run(["form", "--config", config, "--format", "yaml"])
        #expect(form.status == 0, "\(form.stderr)")
        // One row per manual item: disk LEDs on the host, six room items for A机房 (JF-101 is for UPSes).
        let rows = form.stdout.split(separator: "\n").filter { $0.hasPrefix("  - {card:") }
        #expect(rows.count == 7, "\(form.stdout)")
        #expect(rows.contains { $0.contains("card: \"JF-102\", target: \"test-host\"") })
        #expect(rows.contains { $0.contains("card: \"JF-104\", target: \"A机房\"") })
        let filled = form.stdout
            .replacingOccurrences(of: "by: \"\"", with: "by: 张工")
            .replacingOccurrences(of: "card: \"JF-102\", target: \"test-host\", result: \"\"", with: "card: \"JF-102\", target: \"test-host\", result: \"正常\"")
            .replacingOccurrences(of: "card: \"JF-104\", target: \"A机房\", result: \"\", remarks: \"\"", with: "card: \"JF-104\", target: \"A机房\", result: \"异常\", remarks: \"地线松动\"")
            .replacingOccurrences(of: "card: \"JF-106\", target: \"A机房\", result: \"\"", with: "card: \"JF-106\", target: \"A机房\", result: \"不适用\"")
        try filled.write(toFile: "\(dir)/obs.yaml", atomically: true, encoding: .utf8)

        let json = try await Self.now(dir, config, ["--observations", "\(dir)/obs.yaml", "--format", "json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stderr)")
        let findings = try #require(doc["findings"] as? [[String: Any]])
        func status(_ card: String) -> String? { findings.first { $0["card"] as? String == card }?["status"] as? String }
        #expect(status("JF-102") == "normal" && status("JF-104") == "abnormal" && status("JF-103") == "unknown")
        #expect(status("JF-106") == nil)                                    // 不适用: not judged
        #expect((doc["not_applicable"] as? [[String: Any]])?.contains { $0["card"] as? String == "JF-106" } == true)
        let jf104 = try #require(findings.first { $0["card"] as? String == "JF-104" })
        #expect(jf104["target"] as? String == "A机房" && jf104["source"] as? String == "manual")
        #expect((jf104["reason"] as? String)?.contains("地线松动") == true)
        let run = try #require(doc["run"] as? [String: Any])
        #expect(run["inspector"] as? String == "张工" && run["organisation"] as? String == "示例单位信息中心" && run["confidential"] as? Bool == true)
        // An abnormal manual row makes the run abnormal (exit 1, a warning).
        #expect(json.status == 1, "\(json.stderr)")

        let text = try await Self.now(dir, config, ["--observations", "\(dir)/obs.yaml", "--lang", "zh", "--round", "monthly"])
        #expect(text.stdout.hasPrefix("[保密]\n月度巡检记录\n巡检单位：示例单位信息中心    机房：A机房    巡检类型：月度巡检"), "\(text.stdout)")
        #expect(text.stdout.contains("巡检人：张工    签字：____________    日期：____________"))
        #expect(text.stdout.contains("审核人（技术主管）：    签字：____________"))
        let jf103 = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("JF-103") })
        #expect(jf103.hasSuffix("未检查"), "\(jf103)")

        // The abnormal row raised one alert over the two runs; the next round that finds it normal clears it.
        func manualEvents() -> [String] {
            DaemonTests.events(dir).filter { $0["card"] as? String == "JF-104" && $0["target"] as? String == "A机房" }.compactMap { $0["state"] as? String }
        }
        #expect(manualEvents() == ["raised"])
        try filled.replacingOccurrences(of: "result: \"异常\", remarks: \"地线松动\"", with: "result: \"正常\", remarks: \"已紧固\"")
            .write(toFile: "\(dir)/obs.yaml", atomically: true, encoding: .utf8)
        _ = try await Self.now(dir, config, ["--observations", "\(dir)/obs.yaml", "--format", "json"])
        #expect(manualEvents() == ["raised", "cleared"])
    }

    @Test(arguments: [
        ("observations:\n  - {card: JF-999, target: test-host, result: 正常}\n", "obs.yaml:2: no card JF-999"),
        ("observations:\n  - {card: JF-104, target: B机房, result: 正常}\n", "obs.yaml:2: no target or room \"B机房\""),
        ("observations:\n  - {card: SXKR-001, target: test-host, result: 正常}\n", "obs.yaml:2: card SXKR-001 is checked by the agent"),
        ("observations:\n  - {card: JF-104, target: A机房, result: 正常}\n  - {card: JF-104, target: A机房, result: 异常}\n", "obs.yaml:3: JF-104 for A机房 is already given at"),
    ])
    func unknownRowsExit64WithTheLine(file: String, message: String) async throws {
        let dir = CommandRunner.temporaryDirectory()
        try file.write(toFile: "\(dir)/obs.yaml", atomically: true, encoding: .utf8)
        let result = try await Self.now(dir, try Self.config(in: dir), ["--observations", "\(dir)/obs.yaml"])
        #expect(result.status == 64 && result.stderr.contains(message), "\(result.status) \(result.stderr)")
    }

    @Test(arguments: [
        ("observations:\n  - {card: JF-104, target: A机房, result: 也许}\n", "obs.yaml:2:", "is not one of 正常, 异常, 不适用"),
        ("observations: [\n", "obs.yaml:2:", "YAML syntax error"),
        ("by: 张工\n", "obs.yaml:", "observations"),
    ])
    func malformedFilesExit78WithFileAndLine(file: String, location: String, message: String) async throws {
        let dir = CommandRunner.temporaryDirectory()
        try file.write(toFile: "\(dir)/obs.yaml", atomically: true, encoding: .utf8)
        let result = try await Self.now(dir, try Self.config(in: dir), ["--observations", "\(dir)/obs.yaml"])
        #expect(result.status == 78 && result.stderr.contains(location) && result.stderr.contains(message), "\(result.status) \(result.stderr)")
    }

    /// The printable form: the header, each row with its id and the choices, the sign-off.
    @Test func theHTMLFormIsReadyToPrint() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let form = try await CommandRunner.run(["form", "--config", try Self.config(in: dir)])
        #expect(form.status == 0)
        let html = form.stdout
        #expect(html.contains("<h1>巡检表（人工检查项）</h1>") && html.contains("<td>示例单位信息中心</td>") && html.contains("class=\"secret\""))
        #expect(html.contains("<td>JF-104 A机房</td><td>接地</td>") && html.contains("□ 正常  □ 异常  □ 不适用"))
        #expect(html.contains("<th>审核人（技术主管）</th>"))
    }
}
