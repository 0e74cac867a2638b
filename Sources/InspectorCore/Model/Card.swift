/// The report languages: Simplified Chinese, as on the users' paper forms, and English.
public enum Language: String, Sendable, Codable, CaseIterable {
    case zh, en
}

/// A text in both report languages. A card written with one plain string uses it for both.
public struct LocalizedText: Sendable, Equatable, Codable {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    public init(_ both: String) { self.init(zh: both, en: both) }

    public func text(_ lang: Language) -> String { lang == .zh ? zh : en }
}

/// Which statistic of a reading a check judges.
public enum Statistic: String, Sendable, CaseIterable, Codable {
    case current, avg, max, min
    /// Change per hour, from history (JF-003 room temperature gradient).
    case ratePerHour = "rate_per_hour"
}

/// Whose limits decide when the device reports its own.
public enum LimitPolicy: String, Sendable, CaseIterable, Codable {
    /// The worse of the card's and the device's verdicts (DESIGN default).
    case worst
    /// The card's limits only.
    case card
    /// The device's own limits where it reports them, else the card's.
    case device
}

/// What to do when a card applies to a target but no reading for its metrics exists.
public enum AbsentPolicy: String, Sendable, CaseIterable, Codable {
    /// Report it as not verified, with the probe's reason.
    case unknown
    /// Leave it out of the report (e.g. an optional sensor).
    case skip
}

/// One line of judgement inside a card: this metric, this statistic, these limits.
public struct Check: Sendable, Equatable {
    public var metric: String
    public var stat: Statistic
    public var thresholds: Thresholds
    /// For state readings: the states that are normal. Any other state is abnormal.
    public var okStates: [String]
    /// For state readings: the abnormal states that are critical (others are warnings).
    public var criticalStates: [String]
    /// Hysteresis: while an alert is open, the value must come back this far inside the limit to clear.
    public var clearMargin: Double = 0
    /// For avg, max and min: judge the statistic over this many seconds of history (SXKR-001's
    /// "average <= 50 %, maximum <= 70 %" over the last hour), not only over this poll's samples.
    public var window: Double?

    public init(metric: String, stat: Statistic = .current, thresholds: Thresholds = Thresholds(),
                okStates: [String] = [], criticalStates: [String] = []) {
        self.metric = metric
        self.stat = stat
        self.thresholds = thresholds
        self.okStates = okStates
        self.criticalStates = criticalStates
    }
}

/// A check card, as on the paper inspection forms: what to look at, what is expected, what
/// to do when it is not.
public struct Card: Sendable, Equatable {
    public var id: String
    public var title: LocalizedText
    /// Target kinds ("host", "ups") or labels ("room=A") the card applies to. Empty: all.
    public var appliesTo: [String]
    public var checks: [Check]
    public var severity: Severity
    /// Where the limits come from ("customer checklist", "GB 50174-2017"), shown in reports.
    public var limitOrigin: String
    /// The inspection command or source as the paper card names it; readings add their own.
    public var command: String?
    public var remarks: LocalizedText?
    public var remedy: LocalizedText?
    public var limitPolicy: LimitPolicy
    public var ifAbsent: AbsentPolicy
    /// Consecutive abnormal checks before an alert becomes hard (used by the daemon).
    public var confirmAfter: Int
    /// Where the card was defined, for error messages.
    public var definedIn: String
    /// Checked by a person on the round, not by the agent: filled in from an observations file.
    public var manual = false
    /// What kind of fault it finds, for the reports' fault rate by category.
    public var category: CardCategory = .other
    /// The expected result in words (检查期待结果), for manual cards; others derive it from their limits.
    public var expected: LocalizedText?
    /// `command` in both languages, when the checklist gives it so (`command: {zh: ..., en: ...}`).
    public var commandWords: LocalizedText?

    public init(id: String, title: LocalizedText, appliesTo: [String] = [], checks: [Check],
                severity: Severity = .p3, limitOrigin: String = "card", command: String? = nil,
                remarks: LocalizedText? = nil, remedy: LocalizedText? = nil,
                limitPolicy: LimitPolicy = .worst, ifAbsent: AbsentPolicy = .unknown,
                confirmAfter: Int = 2, definedIn: String = "") {
        self.id = id
        self.title = title
        self.appliesTo = appliesTo
        self.checks = checks
        self.severity = severity
        self.limitOrigin = limitOrigin
        self.command = command
        self.remarks = remarks
        self.remedy = remedy
        self.limitPolicy = limitPolicy
        self.ifAbsent = ifAbsent
        self.confirmAfter = confirmAfter
        self.definedIn = definedIn
    }

    public var metrics: Set<String> { Set(checks.map(\.metric)) }

    /// A ping:// or tcp:// target is judged by the cards that name its scheme (NET-001, NET-002)
    /// and no others: whatever its kind, a ping tells nothing of its CPU or disks.
    public func applies(to target: Target) -> Bool {
        if let scheme = target.endpoint.reachScheme { return appliesTo.contains(scheme) }
        return applies(kind: target.kind, labels: target.labels)
    }

    public func applies(kind: TargetKind, labels: [String: String]) -> Bool {
        if appliesTo.isEmpty { return kind != .room }
        return appliesTo.contains { selector in
            if let eq = selector.firstIndex(of: "=") {
                let key = String(selector[..<eq]), value = String(selector[selector.index(after: eq)...])
                return labels[key] == value
            }
            return selector == kind.rawValue
        }
    }
}
