import Foundation
import Testing
@testable import InspectorCore
@testable import Reports

/// The daily and health reports in every format and both languages, from pinned models, against
/// Golden/daily-* and Golden/health-* (UPDATE_GOLDEN=1 rewrites them; read the diff).
/// Times are rendered for UTC (GoldenTests.utc), so the files match in any time zone.
struct PeriodGoldenTests {
    static func at(_ day: Int, _ hour: Int = 0) -> Date { Date(timeIntervalSince1970: 1_793_491_200 + Double((day - 1) * 86400 + hour * 3600)) }   // 2026-11-01

    static let daily = DailySummary(period: "2026-11-24", from: at(24), to: at(25), series: [
        .init(target: "srv-01", metric: "cpu.utilisation", instance: "", min: 2, avg: 11.5, max: 64.25, count: 1440),
        .init(target: "ups-a", metric: "ups.output_load", instance: "", min: 31, avg: 33.2, max: 35, count: 1440),
    ], cards: [
        .init(target: "srv-01", card: "SXKR-001", checks: 1440, abnormal: 0, unknown: 0, worst: .ok),
        .init(target: "srv-01", card: "SXKR-005", checks: 1440, abnormal: 0, unknown: 1440, worst: .unknown,
              unknownReason: LocalizedText(zh: "无法读取：没有温度传感器", en: "not readable: no temperature sensors")),
        .init(target: "ups-a", card: "UPS-003", checks: 1440, abnormal: 12, unknown: 0, worst: .warning),
    ])

    static func health() -> (ServiceReport, HealthReport.Extras) {
        func event(_ state: AlertEvent.State, _ key: String, _ target: String, _ card: String, _ severity: Severity,
                   _ detected: Date, _ cleared: Date?, _ id: String) -> AlertEvent {
            AlertEvent(id: id, dedupKey: key, state: state, card: card, target: target, instance: "", item: card, severity: severity,
                       level: .critical, measured: "", limit: "", reason: nil, detectedAt: detected, firstAbnormalAt: detected,
                       clearedAt: cleared, slaDueAt: nil, escalation: nil, remedy: nil)
        }
        let events = [
            event(.raised, "a", "ups-a", "UPS-003", .p1, at(3, 10), nil, "1"), event(.cleared, "a", "ups-a", "UPS-003", .p1, at(3, 10), at(3, 11), "2"),
            event(.raised, "b", "room-1", "REACH", .p2, at(20, 1), nil, "3"), event(.cleared, "b", "room-1", "REACH", .p2, at(20, 1), at(20, 7), "4"),
        ]
        var summary = HealthSummary.build(period: "2026-11", from: at(1), to: at(31), events: events)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = GoldenTests.utc
        summary.measure(targets: ["ups-a", "room-1", "srv-01"], contract: { _ in .standard }, windows: [], reboots: [], until: at(31), calendar: utc)
        var report = ServiceReport(summary: summary)
        report.previous = .init(period: "2026-10", figures: .init(availability: 99.5, incidents: 4, respondPercent: 50, restorePercent: 75, mttrHours: 5))
        report.categories = [.init(category: .power, incidents: 1, checks: 1440, abnormal: 12), .init(category: .network, incidents: 1, checks: 0, abnormal: 0)]
        report.hours = [("standard", "24x7")]
        // Two rooms of one site; srv-01 carries no labels.
        let labels = ["ups-a": ["site": "上海", "room": "A-101"], "room-1": ["site": "上海", "room": "B-2"]]
        report.places = summary.places(targets: ["ups-a", "room-1", "srv-01"], labels: { labels[$0] ?? [:] }, cards: daily.cards)
        var extras = HealthReport.Extras()
        extras.inventory = ["ups-a": ["model": "Smart-UPS <script>x</script>", "serial": "AS1234, \"B\"", "firmware": "UPS 09.3"]]
        extras.remedies = ["UPS-003": "Reduce the load or add a UPS", "REACH": "Check the network path and the agent"]
        extras.cards = daily.cards
        extras.trends = [(title: "ups-a ups.output_load", unit: "%", points: [(at(1), 31), (at(15), 34.5), (at(30), 33)])]
        return (report, extras)
    }

    static let cases: [(String, ReportFormat, Language)] = ["daily", "health"].flatMap { kind in GoldenTests.cases.map { (kind, $0.0, $0.1) } }

    @Test(arguments: cases)
    func matchesTheGoldenFile(kind: String, format: ReportFormat, lang: Language) throws {
        let rendered: Data
        if kind == "daily" {
            let titles = lang == .zh ? ["SXKR-001": "CPU利用率", "SXKR-005": "运行温度", "UPS-003": "输出负载"]
                                     : ["SXKR-001": "CPU utilisation", "SXKR-005": "Operating temperature", "UPS-003": "Output load"]
            rendered = DailyReport.render(Self.daily, format: format, lang: lang, titles: titles, samples: { s in
                [(Self.at(24, 0), s.min), (Self.at(24, 12), s.max), (Self.at(24, 23), s.avg)]
            }, timeZone: GoldenTests.utc)
        } else {
            let (summary, extras) = Self.health()
            rendered = HealthReport.render(summary, format: format, lang: lang, generatedAt: Self.at(31), extras: extras, timeZone: GoldenTests.utc)
        }
        let path = "\(GoldenTests.directory)/\(kind)-\(lang.rawValue).\(format.fileExtension)"
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: URL(fileURLWithPath: path))
        }
        let golden = try #require(FileManager.default.contents(atPath: path), "missing \(path): run with UPDATE_GOLDEN=1")
        #expect(rendered == golden, "\(path) differs:\n\(String(decoding: rendered, as: UTF8.self))")
    }

    @Test func summaryAndCoverageComeFromTheCards() {
        let text = String(decoding: DailyReport.render(Self.daily, format: .text, lang: .en), as: UTF8.self)
        // 3 cards x 1440 checks, 1440 unknown: two thirds verified.
        #expect(text.contains("Items checked 4320") && text.contains("Abnormal 12") && text.contains("Coverage 66.67 %"), "\(text)")
        #expect(text.contains("SXKR-005 (1440): not readable: no temperature sensors"))
        var withDisk = Self.daily
        withDisk.series.append(.init(target: "srv-01", metric: "fs.used_percent", instance: "/var", min: 40, avg: 41, max: 42, count: 3))
        #expect(String(decoding: DailyReport.render(withDisk, format: .text, lang: .en), as: UTF8.self).contains("filesystem space (%)  /var"))
        #expect(String(decoding: DailyReport.render(withDisk, format: .text, lang: .zh), as: UTF8.self).contains("文件系统空间 (%)"))
        let zh = String(decoding: DailyReport.render(Self.daily, format: .text, lang: .zh), as: UTF8.self)
        #expect(zh.contains("SXKR-005 (1440): 无法读取：没有温度传感器"))
        // A health report of a quiet month says "none" under a heading rather than drawing an empty table.
        let quiet = HealthSummary.build(period: "2026-11", from: Self.at(1), to: Self.at(31), events: [])
        let md = String(decoding: HealthReport.render(ServiceReport(summary: quiet), format: .md, lang: .en, generatedAt: Self.at(31)), as: UTF8.self)
        #expect(md.contains("## Incidents\n\nnone\n"), "\(md)")
        let html = String(decoding: HealthReport.render(Self.health().0, format: .html, lang: .en, generatedAt: Self.at(31),
                                                        extras: Self.health().1), as: UTF8.self)
        #expect(html.contains("Smart-UPS &lt;script&gt;x&lt;/script&gt;") && !html.contains("<script>"))
        #expect(html.contains("<div class=\"box bad\"><b>12</b>"))
    }
}
