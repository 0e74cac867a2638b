import Foundation
import Testing
import InspectorCore
@testable import Reports

/// A 48-port access switch in the text report: its normal ports are one row per card, the
/// abnormal ones a row each; HTML, CSV and JSON keep every port.
struct PortFoldingTests {
    static func report() -> InspectionReport {
        let base = RendererTests.report().findings[0]
        let ports: [Finding] = (1...48).map { n in
            var f = base
            f.card = "PORT-001"
            f.target = "sw-1"
            f.instance = "port \(n)"
            f.instanceLabel = "Gi1/0/\(n)"
            f.title = LocalizedText(zh: "端口连接状态", en: "Port link state")
            f.level = n % 12 == 0 ? .warning : .ok
            f.reason = f.level == .ok ? nil : LocalizedText(zh: "状态为“down”", en: "state is \"down\"")
            f.measured = [Measurement(metric: "port.status", text: f.level == .ok ? "up" : "down")]
            return f
        }
        var report = RendererTests.report()
        report.targets = [ReportTarget(id: "sw-1", kind: .switch, address: "snmp://192.0.2.1")]
        report.findings = ports
        return report
    }

    @Test(arguments: [Language.en, .zh])
    func textFoldsNormalPortsIntoOneRow(lang: Language) throws {
        let text = String(decoding: ReportFormat.text.render(Self.report(), lang: lang), as: UTF8.self)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("PORT-001") }
        #expect(rows.count == 1 + 4, "\(rows.joined(separator: "\n"))")   // 44 normal in one row, 4 down
        #expect(rows.contains { $0.contains(lang == .zh ? "其余 44 个端口" : "44 other ports") })
        #expect(rows.filter { $0.contains("Gi1/0/") }.count == 4)
    }

    /// The abnormal list names the four down ports in one item, with the remedy once.
    @Test func abnormalPortsOfOneCardAreOneItem() throws {
        let text = String(decoding: ReportFormat.text.render(Self.report(), lang: .en), as: UTF8.self)
        let section = try #require(text.components(separatedBy: "Abnormal items:").last)
        let items = section.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("  [") }
        #expect(items.count == 1, "\(section)")
        #expect(items.first?.contains("4 ports") == true && items.first?.contains("Gi1/0/12, Gi1/0/24, Gi1/0/36, Gi1/0/48") == true, "\(items)")
        #expect(section.components(separatedBy: "What to do:").count == 2)
    }

    @Test func htmlCSVAndJSONKeepEveryPort() throws {
        let csv = String(decoding: ReportFormat.csv.render(Self.report(), lang: .en), as: UTF8.self)
        #expect(csv.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("PORT-001") }.count == 48, "\(csv.prefix(300))")
        let json = try #require(try JSONSerialization.jsonObject(with: JSONReport.render(Self.report(), lang: .en)) as? [String: Any])
        #expect((json["findings"] as? [Any])?.count == 48)
        let html = String(decoding: ReportFormat.html.render(Self.report(), lang: .en), as: UTF8.self)
        #expect((1...48).allSatisfy { html.contains("Gi1/0/\($0)<") || html.contains("Gi1/0/\($0) ") })
    }
}

/// The port register (端口登记表): counts first, then every port in index order, in each format.
struct PortRegisterTests {
    static func report() -> InspectionReport {
        var report = PortFoldingTests.report()
        // Port 3 also has utilisation and error figures; port 5 is shut by the operator.
        var util = report.findings[2]
        util.card = "PORT-003"
        util.level = .critical
        util.reason = LocalizedText("in 95 %")
        util.measured = [Measurement(metric: "port.in_utilisation", unit: "%", current: 95.04),
                         Measurement(metric: "port.out_utilisation", unit: "%", current: 1.5)]
        report.findings.append(util)
        report.findings[4].measured = [Measurement(metric: "port.status", text: "adminDown")]
        report.findings[0].alias = "uplink to core"
        return report
    }

    @Test func countsAndRows() throws {
        let register = try #require(PortRegister.registers(Self.report(), lang: .en).first)
        #expect(register.rows.count == 48)
        #expect(register.rows.map(\.name).prefix(3) == ["Gi1/0/1", "Gi1/0/2", "Gi1/0/3"])
        let c = register.counts
        #expect(c.ports == 48 && c.up == 43 && c.down == 4 && c.adminDown == 1 && c.abnormal == 5)
        let third = register.rows[2]
        #expect(third.level == .critical && third.inUtilisation == 95.04 && third.outUtilisation == 1.5 && third.status == "up")
        #expect(register.rows[0].alias == "uplink to core")
    }

    @Test func everyFormatCarriesIt() throws {
        let report = Self.report()
        let json = try #require(try JSONSerialization.jsonObject(with: ReportFormat.json.render(report, lang: .en)) as? [String: Any])
        let registers = try #require(json["port_registers"] as? [[String: Any]])
        #expect((registers.first?["counts"] as? [String: Any])?["down"] as? Double == 4)
        #expect((registers.first?["ports"] as? [[String: Any]])?.count == 48)
        let csv = String(decoding: try #require(ReportFormat.csv.portRegisterCSV(report, lang: .zh)), as: UTF8.self)
        let lines = csv.split(separator: "\r\n")
        #expect(lines.count == 49 && lines[0].hasPrefix("\u{FEFF}设备名称,端口,instance,描述,状态"), "\(lines.prefix(2))")
        #expect(lines[3].contains("sw-1,Gi1/0/3,port 3,,连接,up,,95 %,1.5 %"), "\(lines[3])")
        let html = String(decoding: ReportFormat.html.render(report, lang: .zh), as: UTF8.self)
        #expect(html.contains("<h2>端口登记表</h2>") && html.contains("48 个端口：在用 43，未连接 4，管理关闭 1，不正常 5"))
        let text = String(decoding: ReportFormat.text.render(report, lang: .en), as: UTF8.self)
        #expect(text.contains("Port register:\n  sw-1: 48 ports: 43 up, 4 down, 1 admin down, 5 abnormal"), "\(text)")
        // No ports, no register.
        #expect(ReportFormat.csv.portRegisterCSV(RendererTests.report(), lang: .en) == nil)
    }
}

/// A card's command in words: an UNKNOWN finding shows it as its source, in the report's language.
struct CommandWordsTests {
    @Test func anUnknownCardShowsItsCommandInTheReportLanguage() {
        var card = Card(id: "JF-003", title: LocalizedText(zh: "温变梯度", en: "Temperature gradient"),
                        checks: [Check(metric: "temperature.celsius", stat: .ratePerHour, thresholds: Thresholds(warning: try? NagiosRange.parse("~:5")))])
        card.command = "change of room temperature per hour, from history"
        card.commandWords = LocalizedText(zh: "机房温度每小时变化量（取自历史数据）", en: card.command!)
        let target = Target(id: "room-a", kind: .sensor, address: "snmp://127.0.0.1")
        let findings = Evaluator().evaluate(TargetReadings(target: target, readings: []), cards: [card])
        let f = try? #require(findings.first)
        #expect(f?.level == .unknown)
        #expect(f.map(Cells(.zh).source) == "机房温度每小时变化量（取自历史数据）")
        #expect(f.map(Cells(.en).source) == "change of room temperature per hour, from history")
    }
}
