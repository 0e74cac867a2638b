import Foundation
import Testing
@testable import InspectorCore

/// The `sla:`, `escalation:` and `channels:` sections: their shape, and the errors of a bad one.
struct SLAConfigTests {
    func load(_ text: String, extra: [String: String] = [:]) throws -> InspectorConfig {
        let dir = NSTemporaryDirectory() + "inspect-sla-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: "\(dir)/profiles", withIntermediateDirectories: true)
        for (name, body) in extra { try body.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
        try text.write(toFile: "\(dir)/inspect.yaml", atomically: true, encoding: .utf8)
        return try ConfigLoader.load(file: "\(dir)/inspect.yaml", hostname: "h")
    }

    func error(_ text: String) -> ConfigError? {
        do { _ = try load(text); return nil } catch let e as ConfigError { return e } catch { return nil }
    }

    static let issueShape = """
    version: 1
    sla:
      default: standard
      contracts:
        standard:
          hours: 24x7
          P1: {respond: 15m, restore: 2h}
          P2: {respond: 30m, restore: 4h}
          P3: {respond: 2h, restore: 12h}
        office:
          hours: {weekly: "Mon-Fri 09:00-18:00", holidays: [2026-10-01, 2026-10-02]}
          P2: {respond: 1h, restore: "next business day 15:00"}
    escalation:
      - {name: 工程师, when: raised, channels: [ops-wecom]}
      - {name: 技术主管, when: respond_overdue, channels: [lead-dingtalk], mail: [lead@example.com]}
      - {name: IT经理, when: restore_overdue, channels: [ticket], mail: [it@example.com]}
    channels:
      - {id: ops-wecom, kind: wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY"}
      - {id: lead-dingtalk, kind: dingtalk, url: "https://oapi.dingtalk.com/robot/send?access_token=T", secret: "env:DINGTALK_SECRET"}
      - {id: ticket, kind: webhook, url: "https://itsm.example.com/hooks/inspect"}
    targets:
      - {id: www, kind: http, address: "https://127.0.0.1:1/", labels: {sla: office}}
    """

    @Test func theIssuesShapeLoads() throws {
        let config = try load(Self.issueShape)
        #expect(config.sla.defaultName == "standard")
        #expect(config.contract(of: "www").name == "office")
        #expect(config.contract(of: "h").name == "standard")
        #expect(config.sla.contracts["office"]?.terms[.p2]?.restore == .nextBusinessDay(hour: 15, minute: 0))
        #expect(config.sla.contracts["office"]?.hours.days == [2, 3, 4, 5, 6])
        #expect(config.sla.contracts["office"]?.hours.holidays == ["2026-10-01", "2026-10-02"])
        #expect(config.escalation.map(\.when) == [.raised, .respondOverdue, .restoreOverdue])
        #expect(config.escalation[1].mail == ["lead@example.com"])
        #expect(config.channels.map(\.kind) == [.wecom, .dingtalk, .webhook])
    }

    @Test func aSingleEscalationNameStillLoads() throws {
        let config = try load("version: 1\nescalation: 技术主管\n")
        #expect(config.escalation == [EscalationLevel(name: "技术主管", when: .raised)])
        // Without `sla:`, the standard contract: today's 2/4/12 h.
        #expect(config.contract(of: "h") == .standard)
    }

    @Test func holidaysFromAnICSFile() throws {
        let ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261001\nDTEND;VALUE=DATE:20261008\nEND:VEVENT\nEND:VCALENDAR\n"
        let config = try load("""
        version: 1
        sla: {contracts: {office: {hours: {weekly: "Mon-Fri 09:00-18:00", holidays: cn.ics}, P1: {restore: 4h}}}, default: office}
        """, extra: ["cn.ics": ics])
        #expect(config.sla.contracts["office"]?.hours.holidays.count == 7)
    }

    @Test func badSectionsNameTheirLine() {
        let unknownContract = error("version: 1\ntargets:\n  - {id: w, kind: http, address: \"http://127.0.0.1:1/\", labels: {sla: gold}}\n")
        #expect(unknownContract?.line == 3 && unknownContract?.message.contains("gold") == true)
        let localContract = error("version: 1\nlocal:\n  labels: {sla: gold}\n")
        #expect(localContract?.line == 3 && localContract?.message.contains("gold") == true)
        let badDeadline = error("version: 1\nsla:\n  contracts:\n    c:\n      P1: {respond: soon}\n")
        #expect(badDeadline?.line == 5 && badDeadline?.message.contains("soon") == true)
        let badWeekly = error("version: 1\nsla:\n  contracts:\n    c:\n      hours: {weekly: \"Mon-Fri 18:00-09:00\"}\n")
        #expect(badWeekly?.line == 5)
        let badDefault = error("version: 1\nsla:\n  default: gold\n")
        #expect(badDefault?.line == 3)
        let unknownChannel = error("version: 1\nescalation:\n  - {name: a, when: raised, channels: [nowhere]}\n")
        #expect(unknownChannel?.line == 3 && unknownChannel?.message.contains("nowhere") == true)
        let badWhen = error("version: 1\nescalation:\n  - {name: a, when: sometimes}\n")
        #expect(badWhen?.line == 3)
        let badURL = error("version: 1\nchannels:\n  - {id: x, kind: webhook, url: \"ftp://example.com/\"}\n")
        #expect(badURL?.line == 3)
        let openSecret = error("version: 1\nchannels:\n  - {id: x, kind: dingtalk, url: \"https://example.com/\", secret: /nonexistent/secret}\n")
        #expect(openSecret?.line == 3 && openSecret?.message.contains("does not exist") == true)
    }
}
