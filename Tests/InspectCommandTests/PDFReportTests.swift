import Foundation
import History
import InspectorApp
import InspectorCore
import Testing
import TestPeers

/// `inspect report --format pdf` through the engine Debian installs (Chromium here), checked with
/// poppler's tools: A4 pages, an embedded CJK font, the Chinese headings and the JSON's figures.
@Suite(.serialized, .enabled(if: PDFEngine.find() != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/pdfinfo"),
                             "needs chromium and poppler-utils (Scripts/test.sh installs them)"))
struct PDFReportTests {
    func tool(_ name: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/\(name)")
        p.arguments = arguments
        let out = try Spawning.start(p) {
            let out = Pipe()
            p.standardOutput = out
            return out
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func aMonthlyReportInChineseAsPDF() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let history = try History(path: "\(dir)/state/history.sqlite")
        try history.record(events: [
            HealthMonthTests.event("1", .raised, "a", "ups-a", "UPS-001", .p1, HealthMonthTests.at(3, 10)),
            HealthMonthTests.event("2", .cleared, "a", "ups-a", "UPS-001", .p1, HealthMonthTests.at(3, 10), cleared: HealthMonthTests.at(3, 11)),
            HealthMonthTests.event("3", .raised, "c", "room-a", "REACH", .p2, HealthMonthTests.at(20, 1)),
            HealthMonthTests.event("4", .cleared, "c", "room-a", "REACH", .p2, HealthMonthTests.at(20, 1), cleared: HealthMonthTests.at(20, 4)),
        ])
        let config = try CommandRunner.config(in: dir)
        let args = ["report", "--kind", "monthly", "--period", "2026-11", "--lang", "zh", "--config", config, "--spool", "\(dir)/spool", "--state", "\(dir)/state"]
        let json = try await CommandRunner.run(args + ["--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stderr)")
        let availability = try #require((object["availability"] as? [String: Double])?["room-a"])

        // stdout is binary: straight into a file, as `inspect report --format pdf > report.pdf`.
        let path = "\(dir)/report.pdf"
        FileManager.default.createFile(atPath: path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        p.arguments = args + ["--format", "pdf"]
        try Spawning.start(p) { p.standardOutput = FileHandle(forWritingAtPath: path) }
        await Task.detached { p.waitUntilExit() }.value
        #expect(p.terminationStatus == 0)
        #expect(FileManager.default.contents(atPath: path)?.starts(with: Data("%PDF".utf8)) == true)
        let info = try tool("pdfinfo", [path])
        #expect(info.contains("(A4)"), "\(info)")
        let fonts = try tool("pdffonts", [path])
        // A named CJK font (WenQuanYi Micro Hei from fonts-wqy-microhei, or Noto CJK), embedded: emb says yes.
        let cjk = fonts.split(separator: "\n").filter { $0.contains("WenQuanYi") || $0.contains("CJK") }
        #expect(!cjk.isEmpty && cjk.allSatisfy { $0.contains(" yes ") }, "\(fonts)")
        let text = try tool("pdftotext", ["-layout", path, "-"])
        for heading in ["月报（月度巡检报告）2026年11月", "结论", "统计口径", "按类别故障率", "事件明细", "维护窗口", "覆盖率", "客户代表"] {
            #expect(text.contains(heading), "\(heading) missing from the PDF's text")
        }
        #expect(text.contains("\(formatNumber((availability * 1000).rounded() / 1000)) %"), "room-a's availability \(availability) not in the PDF")
        // Page numbers "1 / 3" at the foot of each page (pdftotext may drop the spaces).
        #expect(text.range(of: #"1 ?/ ?\d"#, options: .regularExpression) != nil, "no page numbers")
    }

    @Test func withoutAnEngineThePDFIsRefusedNamingThePackage() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let config = try CommandRunner.config(in: dir)
        let result = try await CommandRunner.run(["report", "--kind", "monthly", "--format", "pdf", "--config", config,
                                                  "--spool", "\(dir)/spool", "--state", "\(dir)/state"], environment: ["PATH": "/nonexistent"])
        #expect(result.status == 69 && result.stderr.contains("apt-get install chromium"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
