import Foundation

/// A threshold range in the monitoring-plugins syntax, parsed once at config load.
///
/// `10` alerts outside 0...10, `10:` below 10, `~:10` above 10, `10:20` outside 10...20,
/// `@10:20` inside 10...20. Ends are inclusive: with `~:70`, 70 itself is fine.
public struct NagiosRange: Sendable, Equatable, CustomStringConvertible {
    public var start: Double      // -infinity for `~`
    public var end: Double        // +infinity when omitted after `:`
    /// `@` prefix: alert when the value lies inside the range.
    public var alertInside: Bool
    /// The text as written, kept for reports ("~:70").
    public let text: String

    public init(start: Double, end: Double, alertInside: Bool = false, text: String? = nil) {
        self.start = start
        self.end = end
        self.alertInside = alertInside
        self.text = text ?? NagiosRange.format(start: start, end: end, inside: alertInside)
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case notANumber(String)
        case startAfterEnd(String)

        public var description: String {
            switch self {
            case .empty:
                return "an empty range; write e.g. \"~:70\" (alert above 70) or \"10:20\""
            case .notANumber(let part):
                return "\"\(part)\" is not a number; a range is [@]start:end, e.g. \"~:70\", \"10:\", \"@10:20\""
            case .startAfterEnd(let text):
                return "range \"\(text)\" starts after it ends"
            }
        }
    }

    public static func parse(_ raw: String) throws(ParseError) -> NagiosRange {
        let text = raw.trimmingCharacters(in: .whitespaces)
        var body = Substring(text)
        guard !body.isEmpty else { throw .empty }
        var inside = false
        if body.first == "@" {
            inside = true
            body = body.dropFirst()
        }
        guard !body.isEmpty else { throw .empty }
        let start: Double
        let end: Double
        if let colon = body.firstIndex(of: ":") {
            let left = body[..<colon]
            let right = body[body.index(after: colon)...]
            if left == "~" {
                start = -.infinity
            } else if left.isEmpty {
                start = 0
            } else {
                guard let v = Double(left), v.isFinite else { throw .notANumber(String(left)) }
                start = v
            }
            if right.isEmpty {
                end = .infinity
            } else {
                guard let v = Double(right), v.isFinite else { throw .notANumber(String(right)) }
                end = v
            }
        } else {
            guard let v = Double(body), v.isFinite else { throw .notANumber(String(body)) }
            start = 0
            end = v
        }
        guard start <= end else { throw .startAfterEnd(text) }
        return NagiosRange(start: start, end: end, alertInside: inside, text: text)
    }

    /// The `max`/`min` shorthand of the config: `{max: 80}` is `~:80`, `{min: 18}` is `18:`.
    public static func bounds(min: Double?, max: Double?) -> NagiosRange {
        NagiosRange(start: min ?? -.infinity, end: max ?? .infinity)
    }

    /// True when the value should raise an alert at this range's level.
    public func alerts(_ value: Double) -> Bool {
        let within = value >= start && value <= end
        return alertInside ? within : !within
    }

    public var description: String { text }

    /// Plain words for reports: "<= 70", ">= 18", "18 .. 27", "outside 10 .. 20".
    public var humanText: String {
        let s = NagiosRange.number(start), e = NagiosRange.number(end)
        let core: String
        switch (start.isInfinite, end.isInfinite) {
        case (true, true): core = "any"
        case (true, false): core = "<= \(e)"
        case (false, true): core = ">= \(s)"
        case (false, false): core = "\(s) .. \(e)"
        }
        return alertInside ? "not \(core)" : core
    }

    /// The normal range in each language's words: "<= 50" / "不超过 50", "15 .. 32" / "15~32".
    public var words: LocalizedText {
        let s = NagiosRange.number(start), e = NagiosRange.number(end)
        let core: LocalizedText
        switch (start.isInfinite, end.isInfinite) {
        case (true, true): core = Vocabulary.text("words.range.any")
        case (true, false): core = Vocabulary.text("words.range.at_most", ["e": e])
        case (false, true): core = Vocabulary.text("words.range.at_least", ["s": s])
        case (false, false): core = Vocabulary.text("words.range.between", ["s": s, "e": e])
        }
        return alertInside ? Vocabulary.text("words.range.not_in", ["r": core]) : core
    }

    /// When the range alerts, in each language's words: "> 90" / "超过 90", "outside 10 .. 20" / "超出 10~20".
    public var alertWords: LocalizedText {
        if alertInside { return NagiosRange(start: start, end: end).words }
        let s = NagiosRange.number(start), e = NagiosRange.number(end)
        switch (start.isInfinite, end.isInfinite) {
        case (true, true): return Vocabulary.text("words.range.never")
        case (true, false): return Vocabulary.text("words.range.above", ["e": e])
        case (false, true): return Vocabulary.text("words.range.below", ["s": s])
        case (false, false): return Vocabulary.text("words.range.outside", ["s": s, "e": e])
        }
    }

    /// When the range alerts, in plain words: "> 90", "< 10", "outside 10 .. 20", "10 .. 20".
    public var alertText: String {
        if alertInside { return NagiosRange(start: start, end: end).humanText }
        let s = NagiosRange.number(start), e = NagiosRange.number(end)
        switch (start.isInfinite, end.isInfinite) {
        case (true, true): return "never"
        case (true, false): return "> \(e)"
        case (false, true): return "< \(s)"
        case (false, false): return "outside \(s) .. \(e)"
        }
    }

    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    static func format(start: Double, end: Double, inside: Bool) -> String {
        let s = start.isInfinite ? "~" : number(start)
        let e = end.isInfinite ? "" : number(end)
        let body = (start == 0 && !end.isInfinite) ? e : "\(s):\(e)"
        return (inside ? "@" : "") + body
    }
}

/// Warning and critical ranges of one check. Critical is checked first.
public struct Thresholds: Sendable, Equatable {
    public var warning: NagiosRange?
    public var critical: NagiosRange?

    public init(warning: NagiosRange? = nil, critical: NagiosRange? = nil) {
        self.warning = warning
        self.critical = critical
    }

    public var isEmpty: Bool { warning == nil && critical == nil }

    /// The limits an open alert must get past to clear: `margin` further inside the normal range.
    public func tightened(by margin: Double) -> Thresholds {
        guard margin > 0 else { return self }
        func tighten(_ r: NagiosRange?) -> NagiosRange? {
            guard let r else { return nil }
            return r.alertInside
                ? NagiosRange(start: r.start - margin, end: r.end + margin, alertInside: true, text: r.text)
                : NagiosRange(start: r.start.isFinite ? r.start + margin : r.start, end: r.end.isFinite ? r.end - margin : r.end, text: r.text)
        }
        return Thresholds(warning: tighten(warning), critical: tighten(critical))
    }

    public func level(of value: Double) -> Level {
        if let critical, critical.alerts(value) { return .critical }
        if let warning, warning.alerts(value) { return .warning }
        return .ok
    }
}
