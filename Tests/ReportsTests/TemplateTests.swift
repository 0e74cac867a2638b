import Foundation
import Testing
@testable import InspectorCore
@testable import Reports

/// The template set: shipped defaults, overrides from a directory, and errors that say where.
struct TemplateTests {
    static func overrides(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func everyShippedTemplateParsesAndIsUsed() throws {
        let shipped = ReportTemplates.shipped
        for kind in ["inspection", "period"] {
            for format in ReportFormat.allCases where format != .json {
                #expect(shipped.origins[format.template(kind)] == "shipped", "no shipped \(format.template(kind))")
            }
        }
        #expect(shipped.origins["alert.txt"] == "shipped" && shipped.origins["alert.html"] == "shipped")
    }

    @Test func anOverrideReplacesOneTemplateAndKeepsTheRest() throws {
        let dir = try Self.overrides(["inspection.md.mustache": "# {{title}} for {{host}}\n{{#worstFirst}}- {{card}} {{result}}\n{{/worstFirst}}"])
        let templates = try ReportTemplates(overrides: dir)
        #expect(templates.origins["inspection.md"] == "\(dir)/inspection.md.mustache")
        #expect(templates.origins["inspection.html"] == "shipped")
        let report = RendererTests.report(instanceLabel: "Package id 0")
        let md = String(decoding: ReportFormat.md.render(report, lang: .en, templates: templates), as: UTF8.self)
        #expect(md == "# Inspection report for inspector-host\n- SXKR-005 abnormal (CRITICAL)\n- SXKR-001 normal\n")
        let zh = String(decoding: ReportFormat.md.render(report, lang: .zh, templates: templates), as: UTF8.self)
        #expect(zh.hasPrefix("# 巡检报告 for inspector-host"))
    }

    @Test func anOverriddenTemplateStillEscapesDeviceStrings() throws {
        // A user's HTML and CSV templates that never mention escaping: the format does it.
        let dir = try Self.overrides(["inspection.html.mustache": "<ul>{{#findings}}<li>{{item}}</li>{{/findings}}</ul>",
                                      "inspection.csv.mustache": "{{#findings}}{{card}},{{item}}\r\n{{/findings}}"])
        let templates = try ReportTemplates(overrides: dir)
        let report = RendererTests.report()
        let html = String(decoding: ReportFormat.html.render(report, lang: .en, templates: templates), as: UTF8.self)
        #expect(!html.contains("<script>") && !html.contains("<img"))
        #expect(html.contains("&lt;script&gt;"))
        let csv = String(decoding: ReportFormat.csv.render(report, lang: .en, templates: templates), as: UTF8.self)
        #expect(csv.contains("SXKR-005,\"Operating temperature <script>alert(\"\"x\"\")</script>, 'q'\nline2"))
    }

    @Test func aBrokenTemplateIsRejectedWithItsLineAndColumn() throws {
        let dir = try Self.overrides(["period.html.mustache": "<h1>{{title}}</h1>\n{{#sections}}\n<p>{{heading}}</p>\n{{/rows}}\n"])
        do {
            _ = try ReportTemplates(overrides: dir)
            Issue.record("a section closed by the wrong name was accepted")
        } catch {
            #expect(error.file == "\(dir)/period.html.mustache")
            #expect(error.line == 4, "\(error)")
            #expect(error.message == "a section is closed with another name than it was opened with: {{/rows}}", "\(error)")
            #expect(error.description.hasPrefix("\(dir)/period.html.mustache:4:"))
        }
    }

    @Test func anUnknownTemplateNameIsRejected() throws {
        let dir = try Self.overrides(["inspection.htm.mustache": "{{title}}"])
        #expect { _ = try ReportTemplates(overrides: dir) } throws: { error in
            "\(error)".contains("inspection.htm") && "\(error)".contains("inspection.html")
        }
    }

    @Test func alertMailsEscapeWhatTheDeviceSaid() {
        let t = Date(timeIntervalSince1970: 1_795_000_000)
        let event = AlertEvent(id: "e1", dedupKey: "k", state: .raised, card: "JF-001", target: "<img src=x onerror=alert(1)>",
                               instance: "s1", item: "Temperature", severity: .p1, level: .critical, measured: "31 °C\u{1B}[2J",
                               limit: "18 .. 27", reason: "31 °C is outside the critical limit", detectedAt: t, firstAbnormalAt: t,
                               clearedAt: nil, slaDueAt: t.addingTimeInterval(7200), escalation: "duty@example.com", remedy: "Check the cooling")
        let html = AlertMail.render(event, format: .html)
        #expect(!html.contains("<img") && html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("<tr><th>escalate to</th><td>duty@example.com</td></tr>"))
        let text = AlertMail.render(event, format: .text)
        #expect(text.hasPrefix("RAISED: <img src=x onerror=alert(1)> JF-001 Temperature s1\nlevel: critical   measured: 31 °C\u{FFFD}[2J"), "\(text)")
        #expect(text.contains("restore by: ") && !text.contains("cleared:"))
        var translated = event
        translated.zh = .init(item: "温度", reason: "31 °C，超出严重限值", remedy: "检查空调")
        let zh = AlertMail.render(translated, format: .text, lang: .zh)
        #expect(zh.hasPrefix("告警: <img src=x onerror=alert(1)> JF-001 温度 s1") && zh.contains("级别: 严重"), "\(zh)")
        #expect(zh.contains("原因: 31 °C，超出严重限值") && zh.contains("处理建议: 检查空调") && zh.contains("上报至: duty@example.com"))
        #expect(AlertMail.render(event, format: .text, lang: .zh).contains("Temperature"))   // an older event: its English texts
    }

    @Test func anEmptyOrMissingDirectoryMeansTheShippedSet() throws {
        let templates = try ReportTemplates(overrides: "/nonexistent/templates")
        #expect(Set(templates.origins.values) == ["shipped"])
    }
}
