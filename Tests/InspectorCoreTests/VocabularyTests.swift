import Foundation
import Testing
@testable import InspectorCore

/// Words live in Config/vocabulary.yaml, not in Swift: every code the sources ask for exists in
/// both languages, and InspectorCore's code spells no Chinese of its own.
struct VocabularyTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources").standardized.path

    static func swiftFiles(under module: String) -> [String] {
        let root = "\(sources)/\(module)"
        return (FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".swift") }.map { "\(root)/\($0)" }
    }

    @Test func everyCodeAskedForExistsInBothLanguages() throws {
        #expect(!Vocabulary.entries.isEmpty)
        for (code, text) in Vocabulary.entries {
            #expect(!text.en.isEmpty && !text.zh.isEmpty, "\(code)")
        }
        let pattern = try NSRegularExpression(pattern: #"Vocabulary\.text\(\s*"([a-z_.]+)""#)
        var asked = 0
        for file in Self.swiftFiles(under: "InspectorCore") {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let code = (text as NSString).substring(with: m.range(at: 1))
                asked += 1
                #expect(Vocabulary.entries[code] != nil, "\(code) (\(file)) is not in Config/vocabulary.yaml")
            }
        }
        #expect(asked >= 10)
    }

    @Test func parametersAreFilledInEachLanguage() {
        let t = Vocabulary.text("reasons.not_readable", ["why": LocalizedText(zh: "没有传感器", en: "no sensors")])
        #expect(t.en == "not readable: no sensors" && t.zh == "无法读取：没有传感器")
        #expect(Vocabulary.text("reasons.no_reading", ["metrics": "cpu.utilisation"]).zh == "目标未提供该项读数（cpu.utilisation），无法核实")
    }

    @Test func inspectorCoreSpellsNoChineseInCode() throws {
        for file in Self.swiftFiles(under: "InspectorCore") {
            let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
            for (n, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                #expect(!line.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(file):\(n + 1): \(line)")
            }
        }
    }
}
