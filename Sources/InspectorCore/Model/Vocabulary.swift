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

    /// Parses the vocabulary now, so that its YAML parser runs here and not inside the first poll
    /// that names a unit (`inspect now` gives start-up's pages back before its polls; ColdPages).
    public static func load() { _ = entries.count }

    static func parse(_ text: String, file: String) throws(ConfigError) -> [String: LocalizedText] {
        var out: [String: LocalizedText] = [:]
        for (section, value) in try YAMLValue.parse(text, file: file).mapping(allowed: ["cards", "reasons", "words", "states", "units", "labels", "evidence"]).pairs {
            for (code, entry) in try value.mapping(allowed: nil).pairs {
                let m = try entry.mapping(allowed: ["en", "zh"])
                out["\(section).\(code)"] = LocalizedText(zh: try m.required("zh").string(), en: try m.required("en").string())
            }
        }
        return out
    }

    /// A reading's state ("notPresent", "rw") in words; nil when the vocabulary has none.
    public static func state(_ code: String) -> LocalizedText? { entries["states.\(code)"] }

    /// A state as read in words in both languages; a state with its detail ("failed: Result=exit-code")
    /// keeps the detail as read and words the state; unknown codes stay as read.
    public static func stateWords(_ code: String) -> LocalizedText {
        if let known = state(code) { return known }
        if let colon = code.range(of: ": "), let head = state(String(code[..<colon.lowerBound])) {
            let detail = code[colon.upperBound...]
            return LocalizedText(zh: head.zh + "：" + detail, en: head.en + ": " + detail)
        }
        return LocalizedText(code)
    }

    /// Label words, longest first, so that "body size" goes before "body".
    static let labelWords: [(String, LocalizedText)] = entries.compactMap { key, text in
        key.hasPrefix("labels.") ? (String(key.dropFirst("labels.".count)), text) : nil
    }.sorted { $0.0.count > $1.0.count }

    /// An instance label in a language: its English words replaced where each stands alone
    /// ("/var mount" -> "/var 挂载点", "input L1" -> "输入 L1"); everything else as written.
    public static func label(_ label: String, _ lang: Language) -> String {
        var out = label
        for (word, text) in labelWords where out.contains(word) {
            var result = ""
            var rest = Substring(out)
            while let r = rest.range(of: word) {
                let before = rest[..<r.lowerBound].last, after = rest[r.upperBound...].first
                let alone = (before.map { !$0.isLetter && !$0.isNumber } ?? true) && (after.map { !$0.isLetter && !$0.isNumber } ?? true)
                result += rest[..<r.lowerBound] + (alone ? text.text(lang) : word)
                rest = rest[r.upperBound...]
            }
            out = result + rest
        }
        return out
    }

    /// A unit in words ("msgs" -> 条, "°C/h" -> ℃/小时); symbols as they are.
    public static func unit(_ u: String) -> LocalizedText {
        if let words = entries["units.\(u)"] { return words }
        if u.hasSuffix("/h"), u.count > 2 {
            let base = unit(String(u.dropLast(2))), per = unit("/h")
            return LocalizedText(zh: base.zh + per.zh, en: base.en + per.en)
        }
        return LocalizedText(u)
    }

    /// "66" and "msgs" -> "66 条" / "66 msgs"; no unit, the number alone.
    public static func value(_ number: String, _ u: String) -> LocalizedText {
        guard !u.isEmpty else { return LocalizedText(number) }
        let w = unit(u)
        return LocalizedText(zh: "\(number) \(w.zh)", en: "\(number) \(w.en)")
    }

    /// The texts of `code` with each {name} replaced by its parameter in the same language. A
    /// parameter is a LocalizedText or anything else (shown the same in both languages).
    public static func text(_ code: String, _ parameters: [String: Any] = [:]) -> LocalizedText {
        guard let text = entries[code] else { return LocalizedText(code) }
        guard !parameters.isEmpty else { return text }
        let values = parameters.mapValues { ($0 as? LocalizedText) ?? ($0 as? String).map(LocalizedText.init) ?? LocalizedText("\($0)") }
        return LocalizedText(zh: fill(text.zh, values, \.zh), en: fill(text.en, values, \.en))
    }

    /// One pass over the template: each {name} with a parameter becomes its value (values are not
    /// scanned again); anything else is kept as written. Readings are worded thousands of times a
    /// cycle, so no Foundation search-and-replace per parameter, and the braces are found in the
    /// UTF-8 bytes, not by Character: grapheme breaking over the Chinese text was most of the cost
    /// of a reading that could not be read (issue 18).
    static func fill(_ template: String, _ values: [String: LocalizedText], _ language: KeyPath<LocalizedText, String>) -> String {
        var out = ""
        out.reserveCapacity(template.utf8.count + 32)
        let bytes = template.utf8
        var copied = bytes.startIndex   // what comes before is in `out`
        var from = bytes.startIndex
        while let open = bytes[from...].firstIndex(of: UInt8(ascii: "{")),
              let close = bytes[open...].firstIndex(of: UInt8(ascii: "}")) {
            if let value = values[String(template[bytes.index(after: open)..<close])] {
                out += template[copied..<open]
                out += value[keyPath: language]
                copied = bytes.index(after: close)
            }
            from = bytes.index(after: close)
        }
        out += template[copied...]
        return out
    }
}
