import Foundation
import Testing
import InspectorCore
@testable import Reports

struct RendererTests {
    static let hostile = "<script>alert(\"x\")</script>, 'q'\nline2 <img src=x onerror=alert(1)>"

    static func report(instanceLabel: String = hostile) -> InspectionReport {
        let started = Date(timeIntervalSince1970: 1_795_000_000)
        let finding = Finding(
            card: "SXKR-005", target: "srv-01", instance: "hwmon0/temp1", title: LocalizedText(zh: "运行温度", en: "Operating temperature"),
            instanceLabel: instanceLabel, level: .critical, severity: .p2,
            measured: [Measurement(metric: "temperature.celsius", unit: "°C", current: 81, raw: "81000 m°C")],
            limits: [AppliedLimit(metric: "temperature.celsius", stat: "current", warning: "~:60", critical: "~:75", source: .card)],
            limitSource: .card, limitOrigin: "Inspector default", sources: ["/sys/class/hwmon/hwmon0/temp1_input"],
            reason: LocalizedText(zh: "81 °C，超出严重限值", en: "81 °C is outside the critical limit"), evidence: [],
            remedy: LocalizedText(zh: "检查空调", en: "Check cooling"), remarks: nil)
        var ok = finding
        ok.card = "SXKR-001"; ok.level = .ok; ok.reason = nil; ok.instanceLabel = nil; ok.instance = ""
        ok.title = LocalizedText(zh: "CPU利用率", en: "CPU utilisation")
        ok.measured = [Measurement(metric: "cpu.utilisation", unit: "%", current: 12, avg: 10, max: 20)]
        ok.limits = [AppliedLimit(metric: "cpu.utilisation", stat: "avg", warning: "~:50", source: .card)]
        let run = RunInfo(id: "20261118T081320Z-abc", host: "inspector-host", startedAt: started,
                          finishedAt: started.addingTimeInterval(1.25), toolVersion: "0.1.0")
        return InspectionReport(run: run, targets: [ReportTarget(id: "srv-01", kind: .host, address: "local")], findings: [ok, finding])
    }

    @Test func jsonFollowsTheSchema() throws {
        let data = JSONReport.render(Self.report(), lang: .en)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schema"] as? String == "inspect.report/1")
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == 2)
        for key in ["card", "target", "item", "status", "level", "severity", "measured", "limit", "limit_source", "source", "reason"] {
            #expect(findings[1][key] != nil, "finding lacks \(key)")
        }
        #expect(findings[1]["status"] as? String == "abnormal")
        #expect(findings[1]["level"] as? String == "critical")
        #expect(findings[0]["reason"] is NSNull)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["exit_code"] as? Int == 2)
        let coverage = try #require(object["coverage"] as? [String: Any])
        #expect(coverage["percent"] as? Double == 100)
        let run = try #require(object["run"] as? [String: Any])
        #expect(run["duration_seconds"] as? Double == 1.25)
    }

    static func render(_ format: ReportFormat, _ report: InspectionReport, _ lang: Language) -> String {
        String(decoding: format.render(report, lang: lang), as: UTF8.self)
    }

    @Test func htmlEscapesDeviceStrings() {
        let html = Self.render(.html, Self.report(), .en)
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"))
        #expect(html.contains("&#39;q&#39;"))
    }

    @Test func csvQuotesPerRFC4180() throws {
        let csv = Self.render(.csv, Self.report(), .en)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("\u{FEFF}Card,Device,Instance,Item,"))   // a BOM, for Excel
        // The hostile label holds a comma, quotes and a newline: one quoted field with doubled quotes.
        #expect(csv.contains("\"Operating temperature <script>alert(\"\"x\"\")</script>, 'q'\nline2 <img src=x onerror=alert(1)>\""))
        #expect(csv.hasSuffix("\r\n"))
    }

    /// Raw ESC (a terminal escape sequence) and CR (which rewrites a CSV row) from a device reach
    /// no format.
    @Test(arguments: ReportFormat.allCases)
    func controlCharactersFromADeviceReachNoFormat(format: ReportFormat) throws {
        let out = Self.render(format, Self.report(instanceLabel: "fan\u{1B}[2J\u{1B}]0;pwned\u{07} 1\rFAKE,ROW"), .en)
        #expect(!out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(format)")
        // CR only as part of the CSV's own CRLF row ends.
        #expect(!out.replacingOccurrences(of: "\r\n", with: "\n").contains("\r"), "\(format)")
        #expect(out.contains("fan") && out.contains("FAKE"), "\(format)")
    }

    /// Spreadsheet formulas from a device stay text; negative numbers stay numbers.
    @Test(arguments: [("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), ("+1+1", "'+1+1"),
                      ("@SUM(A1)", "'@SUM(A1)"), ("-cmd", "'-cmd"), ("-12.5", "-12.5"), ("fan 1", "fan 1")])
    func csvDefusesFormulas(label: String, cell: String) {
        let csv = Self.render(.csv, Self.report(instanceLabel: "Package id 0").withTarget(label), .en)
        #expect(csv.contains("\r\nSXKR-005,\(cell),"), "\(csv)")
    }

    @Test func chineseReportUsesTheFormWords() {
        let text = Self.render(.text, Self.report(instanceLabel: "Package id 0"), .zh)
        for word in ["设备名称", "检查项目", "实测值", "期待结果", "检查结果", "不正常（告警等级：严重）", "正常"] {
            #expect(text.contains(word), "missing \(word)")
        }
    }

    @Test func textColumnsAlignWithWideCharacters() {
        let text = Self.render(.text, Self.report(instanceLabel: "Package id 0"), .zh)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("SXKR") }
        // The result column starts at the same display column in every row.
        let starts = rows.map { row -> Int in
            let prefix = row.components(separatedBy: "正常").first ?? ""
            return displayWidth(prefix.replacingOccurrences(of: "不", with: ""))
        }
        #expect(Set(starts).count == 1, "\(starts)")
    }

    @Test func abnormalFirstInMarkdown() {
        let md = Self.render(.md, Self.report(instanceLabel: "Package id 0"), .en)
        let critical = md.range(of: "| SXKR-005")!.lowerBound
        let normal = md.range(of: "| SXKR-001")!.lowerBound
        #expect(critical < normal)
        // "<" is escaped so that device strings cannot smuggle HTML into a rendered Markdown view.
        #expect(md.contains("&lt;= 60 °C (critical &gt; 75 °C)"))
    }

    /// The full card table is grouped by room and device; the abnormal items come first, on their own.
    @Test func htmlGroupsByRoomAndDevice() throws {
        var report = Self.report(instanceLabel: "Package id 0")
        var ups = report.findings[0]
        ups.target = "ups-1"
        ups.card = "UPS-001"
        report.findings.append(ups)
        report.targets = [ReportTarget(id: "srv-01", kind: .host, address: "local", labels: ["room": "B"]),
                          ReportTarget(id: "ups-1", kind: .ups, address: "snmp://10.0.0.9", labels: ["room": "A"]),
                          ReportTarget(id: "pc-9", kind: .host, address: "snmp://10.0.0.10")]
        let html = Self.render(.html, report, .en)
        func at(_ s: String) throws -> String.Index { try #require(html.range(of: s), "missing \(s)").lowerBound }
        #expect(try at("<h2>Abnormal items</h2>") < at("<h2>All items</h2>"))
        #expect(try at("<h3>Room A</h3>") < at("<h4>ups-1</h4>"))
        #expect(try at("<h4>ups-1</h4>") < at("<h3>Room B</h3>"))
        #expect(try at("<h3>Room B</h3>") < at("<h4>srv-01</h4>"))
        #expect(try at("<h4>srv-01</h4>") < at("<h4>pc-9</h4>"))       // no room: last, under no room heading
        #expect(html.components(separatedBy: "<h3>").count == 3)
    }

    /// Nothing checked is no coverage, the same in the box, the summary line and the JSON.
    @Test func emptyRunHasNoCoverageEverywhere() throws {
        var report = Self.report()
        report.findings = []
        #expect(Self.render(.html, report, .en).contains("<b>0 %</b><span>Coverage</span>"))
        #expect(Self.render(.text, report, .en).contains("Coverage 0 %"))
        let json = try #require(try JSONSerialization.jsonObject(with: JSONReport.render(report, lang: .en)) as? [String: Any])
        #expect((json["coverage"] as? [String: Any])?["percent"] as? Double == 0)
    }

    @Test func terminalColourMarksAbnormalRowsOnly() {
        let report = Self.report(instanceLabel: "Package id 0")
        let coloured = String(decoding: ReportFormat.text.render(report, lang: .en, colour: true), as: UTF8.self)
        let rows = coloured.split(separator: "\n").filter { $0.contains("SXKR-00") && $0.contains("srv-01  ") }
        #expect(rows.first { $0.contains("SXKR-005") }?.hasPrefix("\u{1B}[31mSXKR-005") == true, "\(rows)")
        #expect(rows.first { $0.contains("SXKR-001") }?.contains("\u{1B}") == false)
        #expect(!Self.render(.text, report, .en).contains("\u{1B}"))   // no colour unless asked (not a TTY, NO_COLOR)
    }

    @Test func hostileStringsInEveryTemplatedFormat() {
        // A pipe, escape sequences (clear screen, set the terminal title) and a line break in a device's string.
        let report = Self.report(instanceLabel: "fan|1 \u{1B}[2J\u{1B}]0;owned\u{07}\nnext")
        let text = Self.render(.text, report, .en)
        #expect(!text.contains("\u{1B}[2J") && !text.contains("\u{07}"), "control characters reach the terminal")
        #expect(text.contains("\u{FFFD}[2J"))
        let md = Self.render(.md, report, .en)
        #expect(md.contains("fan\\|1"))
        let link = Self.render(.md, Self.report(instanceLabel: "[click](javascript:alert(1)) ![x](http://t/p.png)"), .en)
        #expect(link.contains("\\[click\\](javascript:alert(1)) !\\[x\\](http://t/p.png)") && !link.contains(" [click]"), "\(link)")
        #expect(!md.contains("<img"))
        for row in md.split(separator: "\n") where row.hasPrefix("| SXKR-005") {
            #expect(row.hasSuffix("|"), "a device string broke the Markdown row: \(row)")
        }
    }
}

struct RedactionTests {
    @Test func ipAddressesAndHostNamesAreMasked() {
        let started = Date(timeIntervalSince1970: 1_795_000_000)
        let finding = Finding(card: "REACH", target: "ups-a", instance: "", title: LocalizedText("reach"), level: .unknown, severity: .p2,
                              measured: [], limits: [], limitSource: .card, limitOrigin: "", sources: ["OID 1.3.6.1.2.1.1.1.0"],
                              reason: LocalizedText("timeout: no answer from udp:10.20.30.40:161 v2c; see ups-a.dc1.example.com or fe80::1:2:3"),
                              evidence: [LocalizedText("sysName core-sw.internal")], remedy: nil, remarks: nil)
        let report = InspectionReport(
            run: RunInfo(id: "r", host: "inspector-7", startedAt: started, finishedAt: started, toolVersion: "0.1.0", configFile: "/etc/inspect/inspect.yaml"),
            targets: [ReportTarget(id: "ups-a", kind: .ups, address: "snmp://10.20.30.40:161", inventory: ["sysName": "UPS-A-ROOM1"])],
            findings: [finding])
        let r = Redactor(report: report).apply(report)
        let text = String(decoding: JSONReport.render(r, lang: .en), as: UTF8.self)
        for secret in ["10.20.30.40", "ups-a.dc1.example.com", "fe80::1:2:3", "core-sw.internal", "inspector-7", "/etc/inspect"] {
            #expect(!text.contains(secret), "\(secret) still shown")
        }
        #expect(text.contains("x.x.x.40"))
        #expect(text.contains("1.3.6.1.2.1.1.1.0"))   // OIDs are not addresses
        #expect(Redactor(report: report).redact("at 20:04:10 on 2026-11-24") == "at 20:04:10 on 2026-11-24")   // nor times
        #expect(r.findings[0].card == "REACH")
    }

    /// Device strings in the inventory (sysDescr, sysLocation) name the host and carry MAC
    /// addresses; versions are not addresses.
    @Test func deviceStringsLoseHostNamesAndMACsButKeepVersions() {
        let started = Date(timeIntervalSince1970: 1_795_000_000)
        let report = InspectionReport(
            run: RunInfo(id: "r", host: "inspector-7", startedAt: started, finishedAt: started, toolVersion: "0.1.0", configFile: nil),
            targets: [ReportTarget(id: "sw1", kind: .switch, address: "snmp://10.0.0.9:161",
                                   inventory: ["sysName": "core-sw1.dc.example.com", "sysDescr": "core-sw1 H3C S5130 base MAC 00:1a:2b:3c:4d:5e",
                                               "sysLocation": "rack 3, next to core-sw1 (mgmt 001a.2b3c.4d5f, 00-1A-2B-3C-4D-60)",
                                               "firmware": "4.1.0.5-ups", "software": "Version 7.1.070, Release 6.2.1.3"])],
            findings: [])
        let r = Redactor(report: report).apply(report)
        let inventory = r.targets[0].inventory
        for (key, value) in inventory {
            for secret in ["core-sw1", "00:1a:2b", "001a.2b3c", "00-1A-2B"] {
                #expect(!value.contains(secret), "\(key): \(value)")
            }
        }
        #expect(inventory["sysDescr"] == "[host] H3C S5130 base MAC [mac]")
        #expect(inventory["firmware"] == "4.1.0.5-ups")
        #expect(inventory["software"] == "Version 7.1.070, Release 6.2.1.3")
        #expect(Redactor(names: []).redact("syslog server 10.1.2.3") == "syslog server x.x.x.3")
    }
}

extension InspectionReport {
    /// The same report with every finding and target on a device of this name.
    func withTarget(_ name: String) -> InspectionReport {
        var copy = self
        copy.findings = findings.map { var f = $0; f.target = name; return f }
        copy.targets = targets.map { var t = $0; t.id = name; return t }
        return copy
    }
}

/// Rows of a device's form that do not apply to it read 不适用 / "not applicable", as the paper
/// form marks them, in every format; they are never counted as checked.
struct NotApplicableRowTests {
    static func report() -> InspectionReport {
        var r = RendererTests.report()
        r.notApplicable = [NotApplicable(card: "SXKR-008", target: "srv-01", title: LocalizedText(zh: "交换机端口", en: "Switch ports"))]
        return r
    }

    @Test(arguments: [(ReportFormat.text, Language.zh), (.html, .zh), (.md, .en), (.csv, .zh), (.csv, .en)])
    func everyFormatMarksTheRow(format: ReportFormat, lang: Language) throws {
        let text = RendererTests.render(format, Self.report(), lang)
        #expect(text.contains("SXKR-008"))
        #expect(text.contains(lang == .zh ? "不适用" : "not applicable"))
    }

    @Test func jsonListsThemApartFromTheCheckedOnes() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: JSONReport.render(Self.report(), lang: .zh)) as? [String: Any])
        let rows = try #require(object["not_applicable"] as? [[String: Any]])
        #expect(rows.first?["card"] as? String == "SXKR-008" && rows.first?["title"] as? String == "交换机端口")
        #expect((object["summary"] as? [String: Any])?["findings"] as? Int == 2)
        #expect(((object["coverage"] as? [String: Any])?["checked"] as? Int) == 2)
        // Read back, as `inspect report --kind inspection` does.
        #expect(try JSONReportReader.read(JSONReport.render(Self.report(), lang: .zh)).notApplicable.map(\.card) == ["SXKR-008"])
    }

    @Test func onlyTheFormsOfTheDevice() {
        let form = "checklists/server.yaml", ups = "checklists/ups.yaml"
        let cards = [Card(id: "A", title: LocalizedText("a"), appliesTo: ["host"], checks: [], definedIn: form),
                     Card(id: "B", title: LocalizedText("b"), appliesTo: ["switch"], checks: [], definedIn: form),
                     Card(id: "U", title: LocalizedText("u"), appliesTo: ["ups"], checks: [], definedIn: ups)]
        let rows = NotApplicable.rows(for: Target(id: "h", kind: .host, address: "local"), cards: cards)
        #expect(rows.map(\.card) == ["B"])
    }
}
