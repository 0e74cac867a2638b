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
