import Foundation
import Testing
@testable import InspectorCore

/// Words live in Config/vocabulary.yaml and the report layer, not in the other modules' Swift:
/// every code the sources ask for exists in both languages.
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
        for file in ["InspectorCore", "Probes", "InspectorApp"].flatMap(Self.swiftFiles(under:)) {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let code = (text as NSString).substring(with: m.range(at: 1))
                asked += 1
                #expect(Vocabulary.entries[code] != nil, "\(code) (\(file)) is not in Config/vocabulary.yaml")
            }
        }
        #expect(asked >= 50)
    }

    @Test func parametersAreFilledInEachLanguage() {
        let t = Vocabulary.text("reasons.not_readable", ["why": LocalizedText(zh: "没有传感器", en: "no sensors")])
        #expect(t.en == "not readable: no sensors" && t.zh == "无法读取：没有传感器")
        #expect(Vocabulary.text("reasons.no_reading", ["metrics": "cpu.utilisation"]).zh == "目标未提供该项读数（cpu.utilisation），无法核实")
    }

    /// Every placeholder filled, unknown ones and stray braces kept, and a value is never scanned
    /// again (a device's text "{b}" stays as the device wrote it).
    @Test func fillingIsOnePassOverTheTemplate() {
        let values = ["a": LocalizedText(zh: "甲", en: "A"), "b": LocalizedText("{a}")]
        #expect(Vocabulary.fill("{a}-{a} {b} {c} {", values, \.en) == "A-A {a} {c} {")
        #expect(Vocabulary.fill("x{a}y}", values, \.zh) == "x甲y}")
        #expect(Vocabulary.fill("", values, \.en) == "")
        #expect(Vocabulary.fill("no braces", [:], \.en) == "no braces")
        #expect(Vocabulary.fill("温度{a}℃（{b}）{", values, \.zh) == "温度甲℃（{a}）{")
        #expect(Vocabulary.fill("{{a}}{}", values, \.en) == "{{a}}{}")
    }

    /// Words for people are the report layer's (Reports) and the vocabulary's: no other module
    /// spells Chinese in code, nor switches on the language.
    @Test func onlyTheReportLayerSpellsWords() throws {
        let modules = ["InspectorCore", "ProcFS", "Probes", "InspectorApp", "History", "Spool", "SNMP", "HTTP", "Mail", "inspect"]
        for file in modules.flatMap(Self.swiftFiles(under:)) {
            let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
            // LocalizedText.text(_:) is the one place that picks a language outside Reports.
            for (n, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") && !line.contains("func text(_ lang: Language)") {
                #expect(!line.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(file):\(n + 1): \(line)")
                #expect(!line.contains("== .zh"), "\(file):\(n + 1): \(line)")
            }
        }
    }
}
