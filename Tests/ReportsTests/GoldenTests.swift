import Foundation
import Testing
import InspectorCore
@testable import Reports

/// Every format in both languages, rendered from a pinned model and compared byte for byte with
/// Golden/. After an intended change: UPDATE_GOLDEN=1 swift test --filter GoldenTests, then read
/// the diff before committing it.
/// Times are rendered for UTC, pinned here, so the files match on a machine in any time zone.
struct GoldenTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path

    static let cases: [(ReportFormat, Language)] = ReportFormat.allCases.flatMap { f in Language.allCases.map { (f, $0) } }

    @Test(arguments: cases)
    func matchesTheGoldenFile(format: ReportFormat, lang: Language) throws {
        let report = RendererTests.report(instanceLabel: "Package id 0")
        let rendered = format.render(report, lang: lang, timeZone: Self.utc)
        let path = "\(Self.directory)/inspection-\(lang.rawValue).\(format.fileExtension)"
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: URL(fileURLWithPath: path))
        }
        let golden = try #require(FileManager.default.contents(atPath: path), "missing \(path): run with UPDATE_GOLDEN=1")
        #expect(rendered == golden, "\(path) differs:\n\(String(decoding: rendered, as: UTF8.self))")
    }
}

/// The record as the form it replaces: manual rows (observed, abnormal, not checked, not
/// applicable), the header and the sign-off, rendered for Beijing time (pinned, UTC+8).
struct RecordGoldenTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    static func report() -> InspectionReport {
        var report = RendererTests.report(instanceLabel: "Package id 0")
        report.targets[0].labels["room"] = "A机房"
        func manual(_ id: String, _ zh: String, _ en: String, appliesTo: String, expected: (String, String)) -> Card {
            var c = Card(id: id, title: LocalizedText(zh: zh, en: en), appliesTo: [appliesTo], checks: [], severity: .p3,
                         limitOrigin: "现场人工检查 (manual check on site)")
            c.manual = true
            c.expected = LocalizedText(zh: expected.0, en: expected.1)
            return c
        }
        let cards = [manual("JF-102", "硬盘灯与磁盘阵列指示灯", "Disk and array LEDs", appliesTo: "host", expected: ("无故障灯", "No fault light")),
                     manual("JF-103", "空调工作状态", "Air-conditioner running state", appliesTo: "room", expected: ("运行正常", "Running")),
                     manual("JF-104", "接地", "Grounding", appliesTo: "room", expected: ("接地良好", "Grounded")),
                     manual("JF-106", "防雷", "Lightning protection", appliesTo: "room", expected: ("指示正常", "Indicators normal"))]
        var sheet = ObservationSheet(file: "obs.yaml")
        sheet.by = "张工"
        sheet.rows = [.init(card: "JF-102", target: "srv-01", result: .normal, remarks: nil, site: "obs.yaml:3"),
                      .init(card: "JF-104", target: "A机房", result: .abnormal, remarks: "地线松动", site: "obs.yaml:4"),
                      .init(card: "JF-106", target: "A机房", result: .notApplicable, remarks: nil, site: "obs.yaml:5")]
        let rows = ManualRows.make(cards: cards, targets: report.targets, sheet: sheet)
        report.targets += rows.rooms
        report.findings += rows.findings
        report.notApplicable += rows.notApplicable
        report.run.record = InspectionRecord()
        report.run.record.organisation = "示例单位信息中心"
        report.run.record.confidential = true
        report.run.record.round = .monthly
        report.run.record.inspector = "张工"
        return report
    }

    @Test(arguments: [ReportFormat.text, .html, .md].flatMap { f in Language.allCases.map { (f, $0) } })
    func matchesTheGoldenFile(format: ReportFormat, lang: Language) throws {
        let rendered = format.render(Self.report(), lang: lang, timeZone: Self.shanghai)
        let path = "\(GoldenTests.directory)/record-\(lang.rawValue).\(format.fileExtension)"
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: URL(fileURLWithPath: path))
        }
        let golden = try #require(FileManager.default.contents(atPath: path), "missing \(path): run with UPDATE_GOLDEN=1")
        #expect(rendered == golden, "\(path) differs:\n\(String(decoding: rendered, as: UTF8.self))")
    }

    /// Stored as JSON and read back, the record renders the same: header, signers, manual rows.
    @Test func theRecordSurvivesTheJSONModel() throws {
        let report = Self.report()
        let read = try JSONReportReader.read(JSONReport.render(report, lang: .en))
        for lang in Language.allCases {
            let again = String(decoding: ReportFormat.text.render(read, lang: lang, timeZone: Self.shanghai), as: UTF8.self)
            let first = String(decoding: ReportFormat.text.render(report, lang: lang, timeZone: Self.shanghai), as: UTF8.self)
            #expect(again == first)
        }
    }
}

/// A stored run renders again exactly as it first did, in every format and both languages.
struct JSONReportReaderTests {
    @Test(arguments: GoldenTests.cases)
    func roundTrip(format: ReportFormat, lang: Language) throws {
        let report = RendererTests.report(instanceLabel: "Package id 0")
        let stored = JSONReport.render(report, lang: .en)          // stored once, in English
        let read = try JSONReportReader.read(stored)
        #expect(format.render(read, lang: lang) == format.render(report, lang: lang))
    }

    @Test func rejectsOtherDocuments() {
        #expect(throws: (any Error).self) { try JSONReportReader.read(Data("{\"schema\":\"inspect.event/1\"}".utf8)) }
    }
}
