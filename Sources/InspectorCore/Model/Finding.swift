/// Where the limit that decided a finding came from.
public enum LimitSource: String, Sendable, Codable {
    /// The card's default (whose origin the card names, e.g. "GB 50174-2017").
    case card
    /// A per-target override in the config.
    case target
    /// The device's own threshold (hwmon temp*_crit, CISCO-ENVMON threshold).
    case device
}

/// One measured metric within a finding.
public struct Measurement: Sendable, Equatable, Codable {
    public var metric: String
    public var unit: String
    public var current: Double?
    public var avg: Double?
    public var max: Double?
    public var min: Double?
    /// A state or text reading ("onBattery", "DRY").
    public var text: String?
    /// The value as the device gave it, before scaling.
    public var raw: String?

    public init(metric: String, unit: String = "", current: Double? = nil, avg: Double? = nil,
                max: Double? = nil, min: Double? = nil, text: String? = nil, raw: String? = nil) {
        self.metric = metric
        self.unit = unit
        self.current = current
        self.avg = avg
        self.max = max
        self.min = min
        self.text = text
        self.raw = raw
    }
}

/// The limit a check applied, as shown in the report.
public struct AppliedLimit: Sendable, Equatable, Codable {
    public var metric: String
    public var stat: String
    public var warning: String?
    public var critical: String?
    public var okStates: [String]?
    public var source: LimitSource
    /// Seconds of history the statistic was taken over (nil: this poll's samples only).
    public var window: Double?

    public init(metric: String, stat: String, warning: String? = nil, critical: String? = nil,
                okStates: [String]? = nil, source: LimitSource, window: Double? = nil) {
        self.window = window
        self.metric = metric
        self.stat = stat
        self.warning = warning
        self.critical = critical
        self.okStates = okStates
        self.source = source
    }
}

/// The verdict of one card on one target instance: the row of the paper inspection card.
public struct Finding: Sendable, Equatable {
    public var card: String
    public var target: String
    /// The sensor, filesystem, phase... ("" when the card has a single item per target).
    public var instance: String
    public var title: LocalizedText
    /// Human label of the instance ("/var", "Package id 0").
    public var instanceLabel: String?
    public var level: Level
    public var severity: Severity
    public var measured: [Measurement]
    public var limits: [AppliedLimit]
    /// The source of the limit that decided the verdict.
    public var limitSource: LimitSource
    /// Origin of the card's default limit ("customer checklist SXKR-001").
    public var limitOrigin: String
    /// Evidence sources: files, OIDs, URLs.
    public var sources: [String]
    /// For abnormal and unknown findings: what is wrong or why it could not be verified.
    public var reason: LocalizedText?
    public var evidence: [LocalizedText]
    public var remedy: LocalizedText?
    public var remarks: LocalizedText?
    /// The device's own description of the instance (a port's ifAlias), for the port register.
    public var alias: String?
    /// The expected result in words, for a manual card (others derive it from `limits`).
    public var expected: LocalizedText?
    /// `sources` in both languages, when they are the card's command in words (UNKNOWN findings).
    public var sourceWords: LocalizedText?

    public init(card: String, target: String, instance: String, title: LocalizedText, instanceLabel: String? = nil,
                level: Level, severity: Severity, measured: [Measurement], limits: [AppliedLimit],
                limitSource: LimitSource, limitOrigin: String, sources: [String], reason: LocalizedText?,
                evidence: [LocalizedText], remedy: LocalizedText?, remarks: LocalizedText?) {
        self.card = card
        self.target = target
        self.instance = instance
        self.title = title
        self.instanceLabel = instanceLabel
        self.level = level
        self.severity = severity
        self.measured = measured
        self.limits = limits
        self.limitSource = limitSource
        self.limitOrigin = limitOrigin
        self.sources = sources
        self.reason = reason
        self.evidence = evidence
        self.remedy = remedy
        self.remarks = remarks
    }

    public var status: FindingStatus { level.status }

    /// "CPU utilisation" or "Filesystem /var": the item column of the report.
    public func item(_ lang: Language) -> String {
        let label = Vocabulary.label(instanceLabel ?? instance, lang)
        return label.isEmpty ? title.text(lang) : "\(title.text(lang)) \(label)"
    }
}
