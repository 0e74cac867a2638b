import Foundation

/// Turns findings into alert events: soft then hard states, level updates, flap detection in
/// the style of Naemon, maintenance windows that hold raises back. Pure: time and ids come in.
public struct AlertEngine: Sendable {
    /// Naemon's defaults: flapping starts above 50 % state change, stops below 25 %.
    public var flapHigh = 0.50
    public var flapLow = 0.25
    /// The escalation chain; levels with `when: raised` are told of every raise.
    public var levels: [EscalationLevel]
    /// The contract of a target, whose service hours and deadlines fix an alert's due times.
    public var contract: @Sendable (String) -> SLAContract
    public var calendar: Calendar

    public init(escalation: [EscalationLevel] = [], contract: @escaping @Sendable (String) -> SLAContract = { _ in .standard },
                calendar: Calendar = .current) {
        levels = escalation
        self.contract = contract
        self.calendar = calendar
    }

    /// Engine for a config: its chain and its contracts.
    public init(config: InspectorConfig, calendar: Calendar = .current) {
        self.init(escalation: config.escalation, contract: { config.contract(of: $0) }, calendar: calendar)
    }

    var raisedLevels: [String] { levels.filter { $0.when == .raised }.map(\.name) }

    public static func key(_ f: Finding) -> String { key(target: f.target, card: f.card, instance: f.instance) }

    /// One alert per (target, card, instance).
    public static func key(target: String, card: String, instance: String) -> String { "\(target)|\(card)|\(instance)" }

    /// Updates `records` with one round of findings and returns the events to deliver.
    /// `inMaintenance(target)` suppresses raising (findings are still recorded); `newID` makes ids.
    public func process(_ findings: [Finding], at now: Date, records: inout [String: AlertRecord],
                        inMaintenance: (String) -> Bool, confirmAfter: (String) -> Int,
                        newID: () -> String) -> [AlertEvent] {
        var events: [AlertEvent] = []
        for f in findings + Self.reachedAgain(findings, records: records) {
            // An unreachable device is an alert of its own; other unknowns neither raise nor clear.
            let abnormal: Bool
            switch f.status {
            case .abnormal: abnormal = true
            case .normal: abnormal = false
            case .unknown:
                guard f.card == "REACH" else { continue }
                abnormal = true
            }
            let key = Self.key(f)
            var r = records[key] ?? AlertRecord()
            let level: Level = f.status == .unknown ? .warning : f.level
            let wasFlapping = r.flapping
            r.history.append(abnormal)
            if r.history.count > 21 { r.history.removeFirst(r.history.count - 21) }
            let change = Self.percentStateChange(r.history)
            if !r.flapping && change > flapHigh { r.flapping = true }
            else if r.flapping && change < flapLow { r.flapping = false }
            let held = inMaintenance(f.target)

            func event(_ state: AlertEvent.State) {
                events.append(makeEvent(state, f, level: level, record: r, at: now, id: newID()))
            }

            if r.flapping && !wasFlapping && (r.open || abnormal) {
                r.dedupKey = r.dedupKey ?? Self.dedupKey(key, now)
                r.firstAbnormalAt = r.firstAbnormalAt ?? now
                r.detectedAt = r.detectedAt ?? now
                event(.flapping)   // once, then quiet while it flaps
            }
            if abnormal {
                r.consecutiveAbnormal += 1
                if r.firstAbnormalAt == nil { r.firstAbnormalAt = now }
                if !r.open && r.consecutiveAbnormal >= confirmAfter(f.card) {
                    r.open = true
                    r.detectedAt = now
                    r.dedupKey = r.dedupKey ?? Self.dedupKey(key, r.firstAbnormalAt!)
                    r.level = level
                    fixDeadlines(&r, severity: f.severity, target: f.target, detectedAt: now)
                }
                if r.open && !r.raised && !held && !r.flapping {
                    r.level = level
                    r.told = raisedLevels
                    event(.raised)
                    r.raised = true
                    r.last = events.last
                } else if r.open && r.raised && level != r.level && !r.flapping {
                    r.level = level
                    event(.updated)
                    r.last = events.last
                }
            } else {
                r.consecutiveAbnormal = 0
                if wasFlapping && !r.flapping && !r.raised && r.dedupKey != nil {
                    // The flapping notice was this alert's only event: it gets its closing one.
                    event(.cleared)
                    r.open = false
                    r.level = .ok
                    r.firstAbnormalAt = nil
                    r.detectedAt = nil
                    r.dedupKey = nil
                    Self.forgetDeadlines(&r)
                } else if r.open && !r.flapping {
                    if r.raised { event(.cleared) }
                    r.open = false
                    r.raised = false
                    r.level = .ok
                    r.firstAbnormalAt = nil
                    r.detectedAt = nil
                    r.dedupKey = nil
                    Self.forgetDeadlines(&r)
                } else if !r.open {
                    r.firstAbnormalAt = nil
                    if !r.flapping { r.dedupKey = nil }
                }
            }
            records[key] = r
        }
        return events
    }

    func fixDeadlines(_ r: inout AlertRecord, severity: Severity, target: String, detectedAt: Date) {
        let c = contract(target)
        r.contract = c.name
        r.respondDueAt = c.respondDue(severity, raisedAt: detectedAt, calendar: calendar)
        r.restoreDueAt = c.restoreDue(severity, raisedAt: detectedAt, calendar: calendar)
    }

    static func forgetDeadlines(_ r: inout AlertRecord) {
        r.respondDueAt = nil
        r.restoreDueAt = nil
        r.contract = nil
        r.acknowledgedAt = nil
        r.acknowledgedBy = nil
        r.told = []
        r.last = nil
    }

    /// Applies acknowledgements (by dedup key) to open alerts, and escalates every raised alert
    /// whose respond deadline passed unacknowledged or whose restore deadline passed uncleared:
    /// one `escalated` event per level and alert, in the chain's order. Returns those events, and
    /// the acknowledgements newly applied (for the levels already told to hear of them).
    public func escalate(records: inout [String: AlertRecord], at now: Date, acknowledgements: [String: AlertEvent],
                         newID: () -> String) -> (escalated: [AlertEvent], acknowledged: [AlertEvent]) {
        var escalated: [AlertEvent] = [], acknowledged: [AlertEvent] = []
        // Only raised alerts can be acknowledged or escalated: the rest of the records (every
        // target, card and instance ever judged) are not sorted at every poll.
        for key in records.filter({ $0.value.open && $0.value.raised }).keys.sorted() {
            guard var r = records[key], let dedup = r.dedupKey else { continue }
            if r.acknowledgedAt == nil, let ack = acknowledgements[dedup] {
                r.acknowledgedAt = ack.at ?? ack.detectedAt
                r.acknowledgedBy = ack.by
                var told = ack
                told.escalation = r.told.isEmpty ? nil : r.told.joined(separator: ", ")
                acknowledged.append(told)
            }
            if let last = r.last {
                for level in levels where !r.told.contains(level.name) {
                    let overdue: Bool
                    switch level.when {
                    case .raised: overdue = false
                    case .respondOverdue: overdue = r.acknowledgedAt == nil && r.respondDueAt.map { now >= $0 } == true
                    case .restoreOverdue: overdue = r.restoreDueAt.map { now >= $0 } == true
                    }
                    guard overdue else { continue }
                    var e = last
                    e.id = newID()
                    e.state = .escalated
                    e.escalation = level.name
                    e.by = nil
                    e.note = level.when.rawValue
                    e.at = now
                    escalated.append(e)
                    r.told.append(level.name)
                }
            }
            records[key] = r
        }
        return (escalated, acknowledged)
    }

    /// A device that answers again has no REACH finding at all (the evaluator gives one only to a
    /// device that did not answer): for each target judged this round without one, a normal REACH
    /// finding, so that its open "unreachable" alert clears. A target the agent could not check
    /// (AGENT) was not asked, so its alert stays as it was.
    static func reachedAgain(_ findings: [Finding], records: [String: AlertRecord]) -> [Finding] {
        let reach = Evaluator.reachability
        let unreachable = Set(findings.filter { $0.card == reach.id || $0.card == Evaluator.agentCheck.id }.map(\.target))
        let answered = Set(findings.map(\.target)).subtracting(unreachable)
        return answered.sorted().compactMap { target in
            guard records[key(target: target, card: reach.id, instance: "")] != nil else { return nil }
            return Finding(card: reach.id, target: target, instance: "", title: reach.title, level: .ok, severity: reach.severity,
                           measured: [], limits: [], limitSource: .card, limitOrigin: reach.limitOrigin, sources: [], reason: nil,
                           evidence: [], remedy: nil, remarks: nil)
        }
    }

    /// Closes the alerts of targets that are no longer configured (a reload removed them), with
    /// the reason, and forgets their records. Only alerts that told someone (raised or flapping)
    /// get a closing event.
    public func retire(records: inout [String: AlertRecord], keeping targets: Set<String>, at now: Date,
                       card: (String) -> Card?, newID: () -> String) -> [AlertEvent] {
        var events: [AlertEvent] = []
        for (key, r) in records.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, !targets.contains(parts[0]) else { continue }
            records[key] = nil
            guard let dedupKey = r.dedupKey, r.raised || r.flapping else { continue }
            let c = card(parts[1])
            let item = { (lang: Language) in
                let title = c?.title.text(lang) ?? parts[1]
                return parts[2].isEmpty ? title : "\(title) \(parts[2])"
            }
            let detected = r.detectedAt ?? r.firstAbnormalAt ?? now
            events.append(AlertEvent(id: newID(), dedupKey: dedupKey, state: .cleared, card: parts[1], target: parts[0], instance: parts[2],
                                     item: item(.en), severity: c?.severity ?? .p3, level: .ok, measured: "—", limit: "",
                                     reason: Vocabulary.text("reasons.target_removed").en, detectedAt: detected,
                                     firstAbnormalAt: r.firstAbnormalAt ?? detected, clearedAt: now, slaDueAt: nil,
                                     escalation: r.told.isEmpty ? nil : r.told.joined(separator: ", "), remedy: nil,
                                     zh: .init(item: item(.zh), reason: Vocabulary.text("reasons.target_removed").zh, remedy: nil),
                                     respondDueAt: r.respondDueAt, sla: r.contract, at: now))
        }
        return events
    }

    /// Unique per alert: the key and when it first went abnormal, to the millisecond (a clear and
    /// a new outage can fall within one second).
    static func dedupKey(_ key: String, _ first: Date) -> String {
        "\(key)|\(Int64((first.timeIntervalSince1970 * 1000).rounded(.down)))"
    }

    /// Naemon: the share of result changes over the last 21 results, weighted from 0.8 for the
    /// oldest change to 1.2 for the newest.
    static func percentStateChange(_ history: [Bool]) -> Double {
        guard history.count > 1 else { return 0 }
        var total = 0.0
        let transitions = history.count - 1
        for i in 1..<history.count where history[i] != history[i - 1] {
            let weight = 0.8 + 0.4 * Double(i - 1) / Double(max(1, 19))
            total += weight
        }
        return total / Double(max(transitions, 20))
    }

    func makeEvent(_ state: AlertEvent.State, _ f: Finding, level: Level, record r: AlertRecord, at now: Date, id: String) -> AlertEvent {
        let detected = r.detectedAt ?? now
        // An alert opened before contracts existed (an older state file) gets its deadlines now.
        var deadlines = r
        if deadlines.contract == nil { fixDeadlines(&deadlines, severity: f.severity, target: f.target, detectedAt: detected) }
        let measured = f.measured.map { m in m.text ?? m.current.map { formatNumber($0) + (m.unit.isEmpty ? "" : " \(m.unit)") } ?? "—" }
        let limit = f.limits.map { l in [l.warning.map { "warning \($0)" }, l.critical.map { "critical \($0)" }, l.okStates.map { "ok: \($0.joined(separator: "/"))" }]
            .compactMap { $0 }.joined(separator: ", ") }
        return AlertEvent(id: id, dedupKey: r.dedupKey ?? Self.key(f), state: state, card: f.card, target: f.target, instance: f.instance,
                          item: f.item(.en), severity: f.severity, level: state == .cleared ? .ok : level,
                          measured: measured.joined(separator: "; "), limit: limit.joined(separator: "; "), reason: f.reason?.en,
                          detectedAt: detected, firstAbnormalAt: r.firstAbnormalAt ?? detected,
                          clearedAt: state == .cleared ? now : nil, slaDueAt: deadlines.restoreDueAt,
                          escalation: r.told.isEmpty ? nil : r.told.joined(separator: ", "),
                          remedy: f.remedy?.en, zh: .init(item: f.item(.zh), reason: f.reason?.zh, remedy: f.remedy?.zh),
                          respondDueAt: deadlines.respondDueAt, sla: deadlines.contract, at: now)
    }
}
