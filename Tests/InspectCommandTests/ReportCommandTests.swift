import Foundation
import Testing
@testable import InspectorCore

/// `inspect report`: daily from history, health from the alert events.
struct ReportCommandTests {
    @Test(arguments: [("2026-11-24", 86400.0), ("2026-11", 30 * 86400.0), ("2026-Q4", 92 * 86400.0), ("2026-02", 28 * 86400.0)])
    func periods(text: String, seconds: Double) throws {
        let (from, to) = try #require(ReportPeriod.parse(text))
        #expect(abs(to.timeIntervalSince(from) - seconds) <= 3600)   // a DST change moves a day by an hour
    }

    @Test(arguments: ["2026-13", "2026-02-30", "2026-Q5", "yesterday", ""])
    func badPeriods(text: String) { #expect(ReportPeriod.parse(text) == nil) }

    @Test func dailyReportFromTheRunsOfTheDay() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let config = try CommandRunner.config(in: dir)
        for _ in 0..<2 {
            _ = try await CommandRunner.run(["now", "--config", config, "--root", "\(CommandRunner.trees)/hot-sensor",
                                             "--spool", "\(dir)/spool", "--state", "\(dir)/state", "--cpu-window", "0.05"])
        }
        let json = try await CommandRunner.run(["report", "--kind", "daily", "--format", "json", "--config", config,
                                                "--spool", "\(dir)/spool", "--state", "\(dir)/state"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let cards = try #require(object["cards"] as? [[String: Any]])
        let temperature = try #require(cards.first { $0["card"] as? String == "SXKR-005" })
        #expect(temperature["checks"] as? Int == 8 && temperature["worst"] as? String == "critical")   // 4 sensors x 2 runs
        let series = try #require(object["series"] as? [[String: Any]])
        let hot = try #require(series.first { $0["instance"] as? String == "hwmon0/temp1" })
        #expect(hot["max"] as? Double == 85 && hot["samples"] as? Int == 2)
        let zh = try await CommandRunner.run(["report", "--kind", "daily", "--lang", "zh", "--config", config, "--spool", "\(dir)/spool", "--state", "\(dir)/state"])
        #expect(zh.stdout.contains("日报") && zh.stdout.contains("严重"))
        let html = try await CommandRunner.run(["report", "--kind", "daily", "--format", "html", "--config", config, "--spool", "\(dir)/spool", "--state", "\(dir)/state"])
        #expect(html.stdout.contains("<svg") && html.stdout.contains("<polyline"))   // trends inline, as SVG
        #expect(html.stdout.contains("°C") && !html.stdout.lowercased().contains("<script"))
    }

    @Test func aStoredRunRendersAgainInTheOtherLanguage() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let config = try CommandRunner.config(in: dir)
        _ = try await CommandRunner.run(["now", "--config", config, "--root", "\(CommandRunner.trees)/stopped-fan", "--lang", "en",
                                         "--spool", "\(dir)/spool", "--state", "\(dir)/state", "--cpu-window", "0.05"])
        let zh = try await CommandRunner.run(["report", "--kind", "inspection", "--lang", "zh", "--config", config,
                                              "--spool", "\(dir)/spool", "--state", "\(dir)/state"])
        #expect(zh.status == 0, "\(zh.stderr)")
        #expect(zh.stdout.contains("日常巡检记录") && zh.stdout.contains("电源与风扇") && zh.stdout.contains("不正常（告警等级：严重）"), "\(zh.stdout)")
        let none = try await CommandRunner.run(["report", "--kind", "inspection", "--period", "2020-01-01", "--config", config,
                                                "--spool", "\(dir)/spool", "--state", "\(dir)/state"])
        #expect(none.status == 64 && none.stderr.contains("no inspection stored"))
    }

    @Test func healthReportFromEventsEscapesDeviceStrings() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let events = dir + "/spool/events/new"
        try FileManager.default.createDirectory(atPath: events, withIntermediateDirectories: true)
        let raised = """
        {"schema":"inspect.event/1","id":"20261103T100000.000Z-a","dedup_key":"k","state":"raised","card":"SXKR-005","target":"<script>ups</script>",
         "instance":"","item":"x","severity":"P1","level":"critical","measured":"","limit":"","reason":null,"detected_at":"2026-11-03T10:00:00Z",
         "first_abnormal_at":"2026-11-03T10:00:00Z","cleared_at":null,"sla_due_at":null,"escalation":null,"remedy":null}
        """
        let cleared = raised.replacingOccurrences(of: "\"state\":\"raised\"", with: "\"state\":\"cleared\"")
            .replacingOccurrences(of: "-a\"", with: "-b\"").replacingOccurrences(of: "\"cleared_at\":null", with: "\"cleared_at\":\"2026-11-03T13:00:00Z\"")
        try raised.write(toFile: events + "/a.json", atomically: true, encoding: .utf8)
        try cleared.write(toFile: events + "/b.json", atomically: true, encoding: .utf8)
        // A device named by its address, still open at the end of the month.
        try raised.replacingOccurrences(of: "<script>ups</script>", with: "10.20.30.40").replacingOccurrences(of: "\"k\"", with: "\"k2\"")
            .replacingOccurrences(of: "-a\"", with: "-c\"").write(toFile: events + "/c.json", atomically: true, encoding: .utf8)
        let config = try CommandRunner.config(in: dir)
        let json = try await CommandRunner.run(["report", "--kind", "health", "--period", "2026-11", "--format", "json", "--config", config,
                                                "--spool", "\(dir)/spool", "--state", "\(dir)/state"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stderr)")
        #expect((object["summary"] as? [String: Any])?["sla_achieved_percent"] as? Double == 0)   // 3 h for a P1: missed
        let html = try await CommandRunner.run(["report", "--kind", "health", "--period", "2026-11", "--format", "html", "--config", config,
                                                "--spool", "\(dir)/spool", "--state", "\(dir)/state"])
        #expect(html.stdout.contains("&lt;script&gt;ups&lt;/script&gt;") && !html.stdout.contains("<script>"))
        #expect(html.stdout.contains("10.20.30.40"))
        let redacted = try await CommandRunner.run(["report", "--kind", "health", "--period", "2026-11", "--redact", "--config", config,
                                                    "--spool", "\(dir)/spool", "--state", "\(dir)/state"])
        #expect(!redacted.stdout.contains("10.20.30.40") && redacted.stdout.contains("x.x.x.40"), "\(redacted.stdout)")
        // The JSON too, where devices are keys (availability per target).
        let redactedJSON = try await CommandRunner.run(["report", "--kind", "health", "--period", "2026-11", "--redact", "--format", "json",
                                                        "--config", config, "--spool", "\(dir)/spool", "--state", "\(dir)/state"])
        #expect(!redactedJSON.stdout.contains("10.20.30.40") && redactedJSON.stdout.contains("\"x.x.x.40\": "), "\(redactedJSON.stdout)")
        // The card that alerted brings its remedy as a recommendation.
        #expect(html.stdout.contains("Recommendations") && html.stdout.contains("Check the room cooling"), "\(html.stdout.suffix(800))")

        // By mail on demand: one message for the manager, a masked one for the contractor in mail.redact_for.
        let mailConfig = try CommandRunner.config(in: dir, extra: "mail: {allow: [example.com], redact_for: [vendor@example.com]}")
        let refused = try await CommandRunner.run(["report", "--kind", "health", "--period", "2026-11", "--mail-to", "x@elsewhere.org",
                                                   "--config", mailConfig, "--spool", "\(dir)/spool", "--state", "\(dir)/state"])
        #expect(refused.status == 64 && refused.stderr.contains("x@elsewhere.org"), "\(refused.stderr)")
        let mailed = try await CommandRunner.run(["report", "--kind", "health", "--period", "2026-11", "--mail-to", "boss@example.com",
                                                  "--mail-to", "vendor@example.com", "--config", mailConfig,
                                                  "--spool", "\(dir)/spool", "--state", "\(dir)/state"])
        #expect(mailed.status == 0, "\(mailed.stderr)")
        let outbox = "\(dir)/spool/outbox/new"
        let messages = try FileManager.default.contentsOfDirectory(atPath: outbox).sorted()
            .map { try String(contentsOfFile: "\(outbox)/\($0)", encoding: .utf8) }
        #expect(messages.count == 2)
        let plain = try #require(messages.first { $0.contains("To: boss@example.com") }, "\(messages)")
        let masked = try #require(messages.first { $0.contains("To: vendor@example.com") })
        #expect(plain.contains("Subject: [Inspector] Monthly report 2026-11"))
        // Bodies as a mail client decodes them.
        func text(_ message: String) throws -> String {
            let parts = try #require(try MailTests().parse(Data(message.utf8))["parts"] as? [[String: Any]])
            return parts.compactMap { $0["body"] as? String }.joined(separator: "\n")
        }
        #expect(try text(plain).contains("10.20.30.40"))
        let hidden = try text(masked)
        #expect(!hidden.contains("10.20.30.40") && hidden.contains("x.x.x.40"), "\(hidden)")
    }
}

/// paths.templates: a user's templates are used by `now` and `report`; a broken one is a config error.
struct TemplateOverrideCommandTests {
    @Test func overridesAreUsedAndBrokenOnesRefused() async throws {
        let dir = CommandRunner.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: "\(dir)/templates", withIntermediateDirectories: true)
        try "SITE CARD {{host}}\n{{#findings}}{{card}}={{status}}\n{{/findings}}".write(toFile: "\(dir)/templates/inspection.txt.mustache",
                                                                                   atomically: true, encoding: .utf8)
        let config = try CommandRunner.config(in: dir, extra: "paths: {templates: templates}")
        let now = try await CommandRunner.run(["now", "--config", config, "--root", "\(CommandRunner.trees)/healthy-server",
                                               "--spool", "\(dir)/spool", "--state", "\(dir)/state", "--cpu-window", "0.05"])
        #expect(now.stdout.hasPrefix("SITE CARD ") && now.stdout.contains("SXKR-002=normal"), "\(now.stdout)\(now.stderr)")
        let md = try await CommandRunner.run(["report", "--kind", "inspection", "--format", "md", "--config", config,
                                              "--spool", "\(dir)/spool", "--state", "\(dir)/state"])
        #expect(md.stdout.hasPrefix("# Daily inspection record"), "the shipped Markdown template stays: \(md.stdout)")

        let listed = try await CommandRunner.run(["check-config", "--config", config])
        #expect(listed.stdout.contains("report templates: 17 shipped, overridden: inspection.txt (\(dir)/templates/inspection.txt.mustache)"),
                "\(listed.stdout)")

        try "{{#findings}}\n{{card}}\n{{/finding}}\n".write(toFile: "\(dir)/templates/inspection.txt.mustache", atomically: true, encoding: .utf8)
        let broken = try await CommandRunner.run(["check-config", "--config", config])
        #expect(broken.status == 78)
        #expect(broken.stderr.contains("\(dir)/templates/inspection.txt.mustache:3:"), "\(broken.stderr)")
    }
}
