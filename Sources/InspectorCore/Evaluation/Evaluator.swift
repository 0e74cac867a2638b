import Foundation

/// Judges readings against check cards. Pure: no I/O, no clock.
public struct Evaluator: Sendable {
    /// Keys (`AlertEngine.key`) of alerts that are open: their checks clear only past `clear_margin`.
    public var openAlerts: Set<String> = []
    /// Change per hour of (target, metric, instance) from history; nil while there is too little.
    public var ratePerHour: @Sendable (String, String, String) -> Double? = { _, _, _ in nil }
    /// Min/avg/max of (target, metric, instance) over the last so many seconds, from history;
    /// nil when history has no sample in that time.
    public var windowStats: @Sendable (String, String, String, Double) -> WindowStats? = { _, _, _, _ in nil }

    public init(openAlerts: Set<String> = [], ratePerHour: @escaping @Sendable (String, String, String) -> Double? = { _, _, _ in nil },
                windowStats: @escaping @Sendable (String, String, String, Double) -> WindowStats? = { _, _, _, _ in nil }) {
        self.openAlerts = openAlerts
        self.ratePerHour = ratePerHour
        self.windowStats = windowStats
    }

    /// The pseudo-card of a target that could not be read at all.
    public static let reachability = Card(
        id: "REACH", title: Vocabulary.text("cards.reach.title"), checks: [], severity: .p2,
        limitOrigin: "Inspector (the target must answer before any card can be checked)",
        remedy: Vocabulary.text("cards.reach.remedy"))

    /// All findings of every applicable card on one target. A target that could not be read at all
    /// gives one UNKNOWN "device reachable" finding with the reason, not one per card.
    public func evaluate(_ readings: TargetReadings, cards: [Card]) -> [Finding] {
        if readings.answeredNothing, let failure = readings.failure {
            let words = readings.failureWords ?? LocalizedText(failure)
            if readings.agentFault { return [unknownFinding(Self.agentCheck, readings.target, reason: words)] }
            return [unknownFinding(Self.reachability, readings.target, reason: unreadable(words))]
        }
        // No profile knows the device: it is reachable (it answered), and every card without a
        // reading says which sysObjectID lacks a profile.
        var reachable: [Finding] = []
        if let gap = readings.unprofiled {
            var f = unknownFinding(Self.reachability, readings.target, reason: gap)
            f.level = .ok
            f.reason = nil
            f.measured = [Measurement(metric: "device.reachable", text: "reachable")]
            f.evidence = [gap]
            reachable = [f]
        }
        return reachable + cards.filter { !$0.manual && $0.applies(to: readings.target) }.flatMap { evaluate(card: $0, on: readings) }
            + readings.readings.filter { $0.metric == Reading.unclassified }.map { r in
                var f = unknownFinding(Self.unclassified, readings.target, reason: Vocabulary.text("reasons.unclassified", ["why": r.unavailableReason ?? LocalizedText("")]))
                f.instance = r.instance
                f.sources = [r.source]
                if let raw = r.raw { f.measured = [Measurement(metric: r.metric, unit: "", raw: raw)] }
                return f
            }
    }

    /// The pseudo-card of a target the agent could not check for a fault of its own. UNKNOWN, and
    /// unlike REACH neither an "unreachable" alert, downtime, nor an abnormal item on the record.
    public static let agentCheck = Card(
        id: "AGENT", title: Vocabulary.text("cards.agent.title"), checks: [], severity: .p3,
        limitOrigin: "Inspector (the agent must be able to make the check)",
        remedy: Vocabulary.text("cards.agent.remedy"))

    /// The pseudo-card of rows a device declares that no profile can classify.
    public static let unclassified = Card(
        id: "DATA", title: Vocabulary.text("cards.data.title"), checks: [], severity: .p4,
        limitOrigin: "Inspector (every row a device declares is reported, or said why not)",
        remedy: Vocabulary.text("cards.data.remedy"))

    public func evaluate(card: Card, on data: TargetReadings) -> [Finding] {
        let relevant = data.readings.filter { card.metrics.contains($0.metric) }
        guard !relevant.isEmpty else {
            if let failure = data.failure { return [unknownFinding(card, data.target, reason: unreadable(data.failureWords ?? LocalizedText(failure)))] }
            if card.ifAbsent == .skip { return [] }
            if let gap = data.unprofiled { return [unknownFinding(card, data.target, reason: gap)] }
            let metrics = card.metrics.joined(separator: ", ")
            return [unknownFinding(card, data.target, reason: Vocabulary.text("reasons.no_reading", ["metrics": metrics]))]
        }
        var order: [String] = []
        var byInstance: [String: [Reading]] = [:]
        for r in relevant {
            if byInstance[r.instance] == nil { order.append(r.instance) }
            byInstance[r.instance, default: []].append(r)
        }
        return order.map { finding(card, data.target, instance: $0, readings: byInstance[$0]!) }
    }

    func unreadable(_ failure: LocalizedText) -> LocalizedText {
        Vocabulary.text("reasons.target_unreadable", ["failure": failure])
    }

    func unknownFinding(_ card: Card, _ target: Target, reason: LocalizedText) -> Finding {
        var f = Finding(card: card.id, target: target.id, instance: "", title: card.title, level: .unknown,
                severity: card.severity, measured: [], limits: card.checks.map { limitRow($0, $0.thresholds, .card) },
                limitSource: .card, limitOrigin: card.limitOrigin, sources: card.command.map { [$0] } ?? [],
                reason: reason, evidence: [], remedy: card.remedy, remarks: card.remarks)
        f.sourceWords = card.commandWords
        return f
    }

    func finding(_ card: Card, _ target: Target, instance: String, readings: [Reading]) -> Finding {
        var level = Level.ok
        var decidedBy = LimitSource.card
        var measured: [Measurement] = []
        var limits: [AppliedLimit] = []
        var reasons: [LocalizedText] = []
        var sources: [String] = []
        var windowEvidence: [LocalizedText] = []
        var windows: [String: WindowStats?] = [:]
        for reading in readings {
            if !sources.contains(reading.source) { sources.append(reading.source) }
            if !measured.contains(where: { $0.metric == reading.metric }) { measured.append(measurement(of: reading)) }
        }
        for check in card.checks {
            guard let reading = readings.first(where: { $0.metric == check.metric }) else { continue }
            let open = openAlerts.contains(AlertEngine.key(target: target.id, card: card.id, instance: instance))
            // Asked once per metric and window: the avg and max checks of a card share the statistics,
            // and they serve the verdict and the evidence alike.
            var window: WindowStats?
            if let seconds = check.window {
                let key = "\(reading.metric) \(seconds)"
                if let known = windows[key] { window = known } else {
                    window = windowStats(target.id, reading.metric, reading.instance, seconds)
                    windows[key] = window
                }
            }
            let verdict = judge(check, reading: reading, card: card, target: target, alertOpen: open, window: window)
            if check.stat == .ratePerHour {
                // JF-003 judges the change per hour: that is what it measured, not the temperature
                // (unless another check of the card judges the temperature itself).
                if !card.checks.contains(where: { $0.metric == check.metric && $0.stat != .ratePerHour }) {
                    measured.removeAll { $0.metric == reading.metric }
                }
                if let rate = ratePerHour(target.id, reading.metric, reading.instance) {
                    measured.append(Measurement(metric: "rate_per_hour", unit: "\(reading.unit)/h", current: rate))
                }
            }
            limits.append(verdict.limit)
            if let seconds = check.window, let stats = window, let i = measured.firstIndex(where: { $0.metric == reading.metric }) {
                measured[i].avg = stats.avg
                measured[i].max = Swift.max(stats.max, measured[i].max ?? stats.max)
                measured[i].min = Swift.min(stats.min, measured[i].min ?? stats.min)
                let metric = MetricCatalogue.shipped.metrics[reading.metric]?.title ?? LocalizedText(reading.metric)
                let line = Vocabulary.text("evidence.window", ["metric": metric, "minutes": formatNumber(seconds / 60), "min": formatNumber(stats.min),
                                                               "avg": formatNumber(stats.avg), "max": formatNumber(stats.max), "count": stats.count])
                if !windowEvidence.contains(line) { windowEvidence.append(line) }
            }
            if let reason = verdict.reason { reasons.append(reason) }
            if verdict.level > level {
                level = verdict.level
                decidedBy = verdict.limit.source
            } else if level == .ok, verdict.limit.source != .card {
                decidedBy = verdict.limit.source
            }
        }
        let label = readings.compactMap(\.label).first
        var finding = Finding(card: card.id, target: target.id, instance: instance, title: card.title,
                       instanceLabel: label, level: level, severity: card.severity, measured: measured,
                       limits: limits, limitSource: decidedBy, limitOrigin: card.limitOrigin,
                       sources: sources, reason: level == .ok ? nil : join(reasons),
                       evidence: windowEvidence + readings.flatMap(\.evidence), remedy: card.remedy, remarks: card.remarks)
        finding.alias = readings.compactMap(\.alias).first
        return finding
    }

    struct Verdict {
        var level: Level
        var limit: AppliedLimit
        var reason: LocalizedText?
    }

    /// `window`: the statistics of history over `check.window`, when it has any.
    func judge(_ check: Check, reading: Reading, card: Card, target: Target, alertOpen: Bool = false, window: WindowStats? = nil) -> Verdict {
        var (cardThresholds, cardSource) = thresholds(for: check, card: card, target: target)
        if alertOpen { cardThresholds = cardThresholds.tightened(by: check.clearMargin) }
        let cardLimit = limitRow(check, cardThresholds, cardSource)
        switch reading.value {
        case .unavailable(let why):
            return Verdict(level: .unknown, limit: cardLimit, reason: Vocabulary.text("reasons.not_readable", ["why": why]))
        case .state(let s), .text(let s):
            if !check.okStates.isEmpty {
                if check.okStates.contains(where: { stateMatches(s, $0) }) { return Verdict(level: .ok, limit: cardLimit) }
                let level: Level = check.criticalStates.contains(where: { stateMatches(s, $0) }) ? .critical : .warning
                let expected = check.okStates.map(Vocabulary.stateWords)
                return Verdict(level: level, limit: cardLimit, reason: Vocabulary.text("reasons.state_unexpected", [
                    "state": Vocabulary.stateWords(s),
                    "expected": LocalizedText(zh: expected.map(\.zh).joined(separator: "、"), en: expected.map(\.en).joined(separator: "/"))]))
            }
            return Verdict(level: .unknown, limit: cardLimit, reason: Vocabulary.text("reasons.not_a_number", ["state": s]))
        case .number(let current):
            let value: Double
            switch check.stat {
            case .current: value = current
            // Over a window: history's statistic (which holds this poll's value too), with this poll's
            // own samples for the extremes. Without history yet: this poll's samples alone.
            case .avg: value = window?.avg ?? (reading.samples.isEmpty ? current : reading.samples.reduce(0, +) / Double(reading.samples.count))
            case .max: value = Swift.max(reading.samples.max() ?? current, window?.max ?? -.infinity)
            case .min: value = Swift.min(reading.samples.min() ?? current, window?.min ?? .infinity)
            case .ratePerHour:
                // The size of the change counts, up or down (GB 50174: gradient <= 5 C per hour).
                guard let rate = ratePerHour(target.id, reading.metric, reading.instance) else {
                    return Verdict(level: .unknown, limit: cardLimit, reason: Vocabulary.text("reasons.rate_needs_history"))
                }
                value = abs(rate)
            }
            var level = cardThresholds.level(of: value)
            var limit = cardLimit
            if let device = reading.deviceLimits, check.stat != .min, card.limitPolicy != .card, cardSource != .target {
                let deviceThresholds = device.thresholds
                let deviceLevel = deviceThresholds.level(of: value)
                if card.limitPolicy == .device || deviceLevel > level {
                    level = deviceLevel
                    limit = limitRow(check, deviceThresholds, .device)
                }
            }
            guard level != .ok else { return Verdict(level: .ok, limit: limit) }
            let range = (level == .critical ? limit.critical : limit.warning) ?? ""
            let unit = check.stat == .ratePerHour ? "\(reading.unit)/h" : reading.unit
            let shown = Vocabulary.value(formatNumber(value), unit)
            var stat = check.stat == .current ? LocalizedText("") : Vocabulary.text("words.stat.\(check.stat.rawValue)")
            // A card of several metrics says which one is out (SXKR-006: errors or critical messages).
            if card.metrics.count > 1, let title = MetricCatalogue.shipped.metrics[check.metric]?.title {
                stat = LocalizedText(zh: title.zh + (stat.zh.isEmpty ? " " : "") + stat.zh, en: "\(title.en) " + stat.en)
            }
            let normal = words(level == .critical ? limit.critical : limit.warning, unit: unit)
            return Verdict(level: level, limit: limit, reason: Vocabulary.text("reasons.outside_limit", [
                "stat": stat, "value": shown, "level": Vocabulary.text("words.level.\(level.rawValue)"), "normal": normal,
                "source": Vocabulary.text("words.source.\(limit.source.rawValue)"), "range": range]))
        }
    }

    /// A state pattern is the state itself, or a prefix ending in "*" ("down*" matches "down: timeout").
    func stateMatches(_ state: String, _ pattern: String) -> Bool {
        pattern.hasSuffix("*") ? state.hasPrefix(pattern.dropLast()) : state == pattern
    }

    /// A limit as written ("~:50") in each language's words, with its unit: "<= 50 %" / "不超过 50 %".
    func words(_ text: String?, unit: String) -> LocalizedText {
        guard let text, let r = try? NagiosRange.parse(text) else { return LocalizedText(text ?? "") }
        let range = r.words, u = Vocabulary.unit(unit)
        return unit.isEmpty ? range : LocalizedText(zh: "\(range.zh) \(u.zh)", en: "\(range.en) \(u.en)")
    }

    /// The card's thresholds for a check, or a per-target override of them.
    func thresholds(for check: Check, card: Card, target: Target) -> (Thresholds, LimitSource) {
        let override = target.overrides.last {
            $0.card == card.id && ($0.metric == nil || $0.metric == check.metric) && ($0.stat == nil || $0.stat == check.stat)
        }
        guard let override, !check.thresholds.isEmpty || check.okStates.isEmpty else { return (check.thresholds, .card) }
        return (override.thresholds, .target)
    }

    func limitRow(_ check: Check, _ t: Thresholds, _ source: LimitSource) -> AppliedLimit {
        AppliedLimit(metric: check.metric, stat: check.stat.rawValue, warning: t.warning?.text,
                     critical: t.critical?.text, okStates: check.okStates.isEmpty ? nil : check.okStates, source: source, window: check.window)
    }

    func measurement(of r: Reading) -> Measurement {
        var m = Measurement(metric: r.metric, unit: r.unit, raw: r.raw)
        switch r.value {
        case .number(let v):
            m.current = v
            if !r.samples.isEmpty {
                m.avg = r.samples.reduce(0, +) / Double(r.samples.count)
                m.max = r.samples.max()
                m.min = r.samples.min()
            }
        case .state(let s), .text(let s): m.text = s
        case .unavailable: break
        }
        return m
    }

    func join(_ all: [LocalizedText]) -> LocalizedText? {
        // Checks failing for the same cause (one unreadable file behind two metrics) say it once.
        var reasons: [LocalizedText] = []
        for r in all where !reasons.contains(r) { reasons.append(r) }
        guard !reasons.isEmpty else { return nil }
        return LocalizedText(zh: reasons.map(\.zh).joined(separator: "；"), en: reasons.map(\.en).joined(separator: "; "))
    }
}

/// Numbers as people read them on a report: at most two decimals, no trailing zeros.
public func formatNumber(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    var s = String(format: "%.2f", v)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}

/// A series' statistics over a window of history.
public struct WindowStats: Sendable, Equatable {
    public var min: Double
    public var avg: Double
    public var max: Double
    public var count: Int

    public init(min: Double, avg: Double, max: Double, count: Int) {
        self.min = min
        self.avg = avg
        self.max = max
        self.count = count
    }
}
