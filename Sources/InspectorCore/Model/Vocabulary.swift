import Foundation

/// Words for people, kept as data (Config/vocabulary.yaml, compiled in): every reason and name
/// the core gives a finding, in English and Chinese, looked up by code with {name} parameters.
/// Swift code names the reason; it never spells it in either language.
public enum Vocabulary {
    /// "reasons.not_readable" -> its two texts.
    static let entries: [String: LocalizedText] = {
        do { return try parse(EmbeddedCatalogue.files["vocabulary"] ?? "", file: "Config/vocabulary.yaml") }
        catch { fatalError("the compiled-in vocabulary does not parse: \(error)") }
    }()

    static func parse(_ text: String, file: String) throws(ConfigError) -> [String: LocalizedText] {
        var out: [String: LocalizedText] = [:]
        for (section, value) in try YAMLValue.parse(text, file: file).mapping(allowed: ["cards", "reasons", "words", "states"]).pairs {
            for (code, entry) in try value.mapping(allowed: nil).pairs {
                let m = try entry.mapping(allowed: ["en", "zh"])
                out["\(section).\(code)"] = LocalizedText(zh: try m.required("zh").string(), en: try m.required("en").string())
            }
        }
        return out
    }

    /// A reading's state ("notPresent", "rw") in words; nil when the vocabulary has none.
    public static func state(_ code: String) -> LocalizedText? { entries["states.\(code)"] }

    /// The texts of `code` with each {name} replaced by its parameter in the same language. A
    /// parameter is a LocalizedText or anything else (shown the same in both languages).
    public static func text(_ code: String, _ parameters: [String: Any] = [:]) -> LocalizedText {
        guard var text = entries[code] else { return LocalizedText(code) }
        for (name, value) in parameters {
            let both = (value as? LocalizedText) ?? LocalizedText("\(value)")
            text.en = text.en.replacingOccurrences(of: "{\(name)}", with: both.en)
            text.zh = text.zh.replacingOccurrences(of: "{\(name)}", with: both.zh)
        }
        return text
    }
}
