/// Parses check cards, inline or from a checklist file.
enum CardParser {
    static let cardKeys = ["id", "title", "applies_to", "checks", "severity", "limit_origin", "command",
                           "remarks", "remedy", "limit_policy", "if_absent", "confirm_after", "manual", "expected", "category"]
    static let checkKeys = ["metric", "stat", "warning", "critical", "ok_states", "critical_states", "clear_margin", "window"]

    static func checklist(file: String) throws(ConfigError) -> [(Card, YAMLValue)] {
        let text = try ConfigLoader.readText(file)
        let root = try YAMLValue.parse(text, file: file).mapping(allowed: ["checklist", "cards"])
        return try cards(in: root.required("cards"))
    }

    static func cards(in value: YAMLValue) throws(ConfigError) -> [(Card, YAMLValue)] {
        var out: [(Card, YAMLValue)] = []
        for item in try value.list() { out.append((try card(item), item)) }
        return out
    }

    static func card(_ value: YAMLValue) throws(ConfigError) -> Card {
        let m = try value.mapping(allowed: cardKeys)
        let idValue = try m.required("id")
        let id = try idValue.string()
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw idValue.error("card id \"\(id)\" must be letters, digits, '-', '_' or '.'")
        }
        // A manual card is an item a person looks at (指示灯, 接地...): no checks, an expected result.
        let manual = try m.optional("manual")?.bool() ?? false
        var checks: [Check] = []
        if manual {
            if let c = m.optional("checks") { throw c.error("a manual card has no checks: a person fills it in (inspect now --observations)") }
            guard m.optional("expected") != nil else { throw value.error("a manual card needs expected: the result the person looks for") }
        } else {
            let checksValue = try m.required("checks")
            for c in try checksValue.list() { checks.append(try check(c)) }
            guard !checks.isEmpty else { throw checksValue.error("a card needs at least one check") }
        }

        var card = Card(id: id, title: try localized(m.required("title")), checks: checks,
                        definedIn: "\(value.file):\(value.line)")
        card.manual = manual
        if let v = m.optional("expected") { card.expected = try localized(v) }
        if let v = m.optional("applies_to") {
            card.appliesTo = try v.stringList()
            for (selector, at) in zip(card.appliesTo, (try? v.list()) ?? [v]) where !selector.contains("=") {
                guard TargetKind(rawValue: selector) != nil || TargetAddress.reachSchemes.contains(selector) else {
                    throw at.error("applies_to \"\(selector)\" is neither a target kind (\(TargetKind.allCases.map(\.rawValue).joined(separator: ", "))), an address scheme (\(TargetAddress.reachSchemes.joined(separator: ", "))) nor a label key=value")
                }
            }
        }
        if let v = m.optional("severity") { card.severity = try enumValue(v, Severity.self) }
        if let v = m.optional("category") { card.category = try enumValue(v, CardCategory.self) }
        if let v = m.optional("limit_origin") { card.limitOrigin = try v.string() }
        if let v = m.optional("command") {
            let words = try localized(v)
            card.command = words.en
            if words.zh != words.en { card.commandWords = words }
        }
        if let v = m.optional("remarks") { card.remarks = try localized(v) }
        if let v = m.optional("remedy") { card.remedy = try localized(v) }
        if let v = m.optional("limit_policy") { card.limitPolicy = try enumValue(v, LimitPolicy.self) }
        if let v = m.optional("if_absent") { card.ifAbsent = try enumValue(v, AbsentPolicy.self) }
        if let v = m.optional("confirm_after") {
            card.confirmAfter = try v.int(in: Bounds.confirmAfter)
            guard card.confirmAfter >= 1 else { throw v.error("confirm_after must be at least 1") }
        }
        return card
    }

    static func check(_ value: YAMLValue) throws(ConfigError) -> Check {
        let m = try value.mapping(allowed: checkKeys)
        var check = Check(metric: try m.required("metric").string())
        if let v = m.optional("stat") { check.stat = try enumValue(v, Statistic.self) }
        check.thresholds = try thresholds(m)
        if let v = m.optional("ok_states") { check.okStates = try v.stringList() }
        if let v = m.optional("critical_states") { check.criticalStates = try v.stringList() }
        if let v = m.optional("clear_margin") {
            check.clearMargin = try v.double()
            guard check.clearMargin >= 0 else { throw v.error("clear_margin must not be negative") }
        }
        if let v = m.optional("window") {
            guard let seconds = parseDuration(try v.string()), seconds >= 60 else {
                throw v.error("window must be a duration of at least a minute, such as 15m, 1h or 24h")
            }
            guard [.avg, .max, .min].contains(check.stat) else {
                throw v.error("window applies to stat avg, max or min, not \(check.stat.rawValue)")
            }
            check.window = seconds
        }
        guard !check.thresholds.isEmpty || !check.okStates.isEmpty else {
            throw value.error("check of \(check.metric) has no limits: give warning/critical ranges or ok_states")
        }
        return check
    }

    static func thresholds(_ m: YAMLMapping) throws(ConfigError) -> Thresholds {
        Thresholds(warning: try m.optional("warning")?.range(), critical: try m.optional("critical")?.range())
    }

    /// A plain string (both languages) or `{zh: ..., en: ...}`.
    static func localized(_ value: YAMLValue) throws(ConfigError) -> LocalizedText {
        if case .scalar = value.node { return LocalizedText(try value.string()) }
        let m = try value.mapping(allowed: ["zh", "en"])
        let zh = try m.optional("zh")?.string()
        let en = try m.optional("en")?.string()
        guard let any = zh ?? en else { throw value.error("expected zh and/or en text") }
        return LocalizedText(zh: zh ?? any, en: en ?? any)
    }

    static func enumValue<E: RawRepresentable & CaseIterable>(_ value: YAMLValue, _: E.Type) throws(ConfigError) -> E where E.RawValue == String {
        let s = try value.string()
        if let e = E(rawValue: s) ?? E(rawValue: s.uppercased()) ?? E(rawValue: s.lowercased()) { return e }
        throw value.error("\"\(s)\" is not one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
    }
}
