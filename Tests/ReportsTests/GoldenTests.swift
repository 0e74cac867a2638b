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
