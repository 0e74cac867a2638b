import Foundation
import Testing
@testable import InspectorCore

struct EvaluatorTests {
    let host = Target(id: "srv", kind: .host, address: "local")

    func card(_ checks: [Check], policy: LimitPolicy = .worst, ifAbsent: AbsentPolicy = .unknown) -> Card {
        Card(id: "C-1", title: LocalizedText(zh: "测试", en: "Test"), checks: checks, limitPolicy: policy, ifAbsent: ifAbsent)
    }

    func temp(_ value: Double, warning: Double? = nil, critical: Double? = nil) -> Reading {
        Reading(metric: "temp", instance: "t1", value: .number(value), unit: "°C", source: "/sys/x",
                deviceLimits: warning == nil && critical == nil ? nil : DeviceLimits(warning: warning, critical: critical))
    }

    let tempCheck = Check(metric: "temp", thresholds: Thresholds(warning: try! .parse("~:60"), critical: try! .parse("~:75")))

    @Test func windowChecksJudgeAverageAndMaximum() throws {
        let cpu = card([Check(metric: "cpu", stat: .avg, thresholds: Thresholds(warning: try .parse("~:50"))),
                        Check(metric: "cpu", stat: .max, thresholds: Thresholds(warning: try .parse("~:70")))])
        let spiky = Reading(metric: "cpu", instance: "", value: .number(20), unit: "%", source: "/proc/stat", samples: [10, 20, 75, 15])
        let f = try #require(Evaluator().evaluate(card: cpu, on: TargetReadings(target: host, readings: [spiky])).first)
        #expect(f.level == .warning)           // max 75 > 70 although avg 30 <= 50
        #expect(f.measured.first?.avg == 30)
        #expect(f.measured.first?.max == 75)
        #expect(f.reason?.en.contains("max 75 %") == true)
    }

    /// With a window, the average and maximum come from history (an hour of polls), not only from
    /// this poll's samples: a quiet poll after a busy hour is still abnormal.
    @Test func windowOfHistoryDecidesAverageAndMaximum() throws {
        var avg = Check(metric: "cpu", stat: .avg, thresholds: Thresholds(warning: try .parse("~:50")))
        var max = Check(metric: "cpu", stat: .max, thresholds: Thresholds(warning: try .parse("~:70")))
        avg.window = 3600
        max.window = 3600
        let quiet = Reading(metric: "cpu", instance: "", value: .number(5), unit: "%", source: "/proc/stat", samples: [4, 5, 6])
        let calls = Calls()
        let busyHour = Evaluator(windowStats: { target, metric, _, seconds in
            calls.add()
            return target == "srv" && metric == "cpu" && seconds == 3600 ? WindowStats(min: 5, avg: 62, max: 68, count: 60) : nil
        })
        let f = try #require(busyHour.evaluate(card: card([avg, max]), on: TargetReadings(target: host, readings: [quiet])).first)
        #expect(f.level == .warning)                       // avg 62 over the hour > 50; max 68 <= 70
        #expect(f.measured.first?.avg == 62 && f.measured.first?.max == 68)
        #expect(f.reason?.en.contains("avg 62 %") == true)
        #expect(f.limits.allSatisfy { $0.window == 3600 })
        #expect(f.evidence.first?.en == "cpu over the last 60 min: min 5, avg 62, max 68 from 60 samples (history)")
        #expect(calls.count == 1)                          // one question to history for both checks
        // No history yet: this poll's samples alone, as without a window.
        let first = try #require(Evaluator().evaluate(card: card([avg, max]), on: TargetReadings(target: host, readings: [quiet])).first)
        #expect(first.level == .ok && first.measured.first?.avg == 5)
    }

    /// Policy `worst`: the worse verdict of the card's and the device's limits.
    @Test(arguments: [
        (50.0, 80.0, 100.0, Level.ok, LimitSource.card),
        (65.0, 80.0, 100.0, .warning, .card),         // card warns at 60 even though the device allows 80
        (85.0, 80.0, 100.0, .critical, .card),        // card critical at 75
        (55.0, 50.0, 70.0, .warning, .device),        // device warns first
        (72.0, 50.0, 70.0, .critical, .device),
    ])
    func worstPolicy(value: Double, deviceWarning: Double, deviceCritical: Double, level: Level, source: LimitSource) throws {
        let f = try #require(Evaluator().evaluate(card: card([tempCheck]),
                                                  on: TargetReadings(target: host, readings: [temp(value, warning: deviceWarning, critical: deviceCritical)])).first)
        #expect(f.level == level)
        #expect(f.limitSource == source)
    }

    /// Policy `device` (SXKR-005): the device's own limits where it has them, else the card's.
    @Test(arguments: [
        (65.0, 80.0 as Double?, 100.0 as Double?, Level.ok, LimitSource.device),
        (85.0, 80.0, 100.0, .warning, .device),
        (101.0, 80.0, 100.0, .critical, .device),
        (65.0, nil, nil, .warning, .card),
        (78.0, nil, nil, .critical, .card),
    ])
    func devicePolicy(value: Double, deviceWarning: Double?, deviceCritical: Double?, level: Level, source: LimitSource) throws {
        let f = try #require(Evaluator().evaluate(card: card([tempCheck], policy: .device),
                                                  on: TargetReadings(target: host, readings: [temp(value, warning: deviceWarning, critical: deviceCritical)])).first)
        #expect(f.level == level)
        #expect(f.limitSource == source)
    }

    @Test func targetOverrideReplacesCardLimits() throws {
        var target = host
        target.overrides = [ThresholdOverride(card: "C-1", metric: "temp", thresholds: Thresholds(warning: try .parse("~:90")))]
        let f = try #require(Evaluator().evaluate(card: card([tempCheck]), on: TargetReadings(target: target, readings: [temp(80)])).first)
        #expect(f.level == .ok)
        #expect(f.limitSource == .target)
        #expect(f.limits.first?.warning == "~:90")
    }

    @Test(arguments: [("ok", Level.ok), ("below minimum", .warning), ("stopped", .critical)])
    func statesMapToLevels(state: String, level: Level) throws {
        let fans = card([Check(metric: "fan", okStates: ["ok"], criticalStates: ["stopped"])])
        let r = Reading(metric: "fan", instance: "fan1", value: .state(state), source: "/sys/fan1")
        #expect(Evaluator().evaluate(card: fans, on: TargetReadings(target: host, readings: [r])).first?.level == level)
    }

    @Test func unreadableValueIsUnknownWithReason() throws {
        let r = Reading(metric: "temp", instance: "t1", value: .unavailable("/sys/x is malformed"), source: "/sys/x")
        let f = try #require(Evaluator().evaluate(card: card([tempCheck]), on: TargetReadings(target: host, readings: [r])).first)
        #expect(f.level == .unknown && f.status == .unknown)
        #expect(f.reason?.en.contains("/sys/x is malformed") == true)
    }

    @Test func absentMetricIsUnknownUnlessSkipped() {
        let none = TargetReadings(target: host, readings: [])
        let unknown = Evaluator().evaluate(card: card([tempCheck]), on: none)
        #expect(unknown.count == 1 && unknown[0].level == .unknown)
        #expect(unknown[0].reason?.en.contains("no reading of temp") == true)
        #expect(Evaluator().evaluate(card: card([tempCheck], ifAbsent: .skip), on: none).isEmpty)
    }

    @Test func unreachableTargetGivesItsReason() {
        let down = TargetReadings(target: host, readings: [], failure: "timeout after 2 s")
        let f = Evaluator().evaluate(card: card([tempCheck]), on: down)
        #expect(f.first?.reason?.en == "target could not be read: timeout after 2 s")
    }

    /// The agent could not make the check (a library or secrets it lacks): one UNKNOWN finding of its
    /// own card, with the reason as it is and the agent's remedy, not "device unreachable".
    @Test func aCheckTheAgentCouldNotMakeIsTheAgentsFinding() {
        var fault = TargetReadings(target: host, readings: [], failure: "secrets file /etc/x is readable by others")
        fault.agentFault = true
        let f = Evaluator().evaluate(fault, cards: [card([tempCheck])])
        #expect(f.map(\.card) == [Evaluator.agentCheck.id] && f[0].level == .unknown)
        #expect(f[0].reason?.en == "secrets file /etc/x is readable by others")
        #expect(f[0].remedy == Evaluator.agentCheck.remedy && f[0].remedy != Evaluator.reachability.remedy)
        fault.agentFault = false
        #expect(Evaluator().evaluate(fault, cards: [card([tempCheck])]).map(\.card) == [Evaluator.reachability.id])
    }

    @Test func oneFindingPerInstanceWorstCheckWins() {
        let fs = card([Check(metric: "space", thresholds: Thresholds(warning: try! .parse("~:80"), critical: try! .parse("~:90"))),
                       Check(metric: "inodes", thresholds: Thresholds(warning: try! .parse("~:80"), critical: try! .parse("~:90")))])
        let readings = [
            Reading(metric: "space", instance: "/", value: .number(50), source: "s"),
            Reading(metric: "inodes", instance: "/", value: .number(95), source: "s"),
            Reading(metric: "space", instance: "/var", value: .number(85), source: "s"),
        ]
        let f = Evaluator().evaluate(card: fs, on: TargetReadings(target: host, readings: readings))
        #expect(f.map(\.instance) == ["/", "/var"])
        #expect(f.map(\.level) == [.critical, .warning])
    }

    @Test func cardsApplyByKindOrLabel() {
        var t = Target(id: "u", kind: .ups, address: "snmp://x", labels: ["room": "A"])
        #expect(Card(id: "a", title: LocalizedText("a"), appliesTo: ["ups"], checks: []).applies(to: t))
        #expect(!Card(id: "a", title: LocalizedText("a"), appliesTo: ["host"], checks: []).applies(to: t))
        #expect(Card(id: "a", title: LocalizedText("a"), appliesTo: ["room=A"], checks: []).applies(to: t))
        t.labels = [:]
        #expect(!Card(id: "a", title: LocalizedText("a"), appliesTo: ["room=A"], checks: []).applies(to: t))
    }

    static let exitTable: [([Level], Int32)] = [([.ok, .ok], 0), ([.ok, .warning], 1), ([.unknown, .ok], 3),
                                                ([.unknown, .warning], 1), ([.critical, .unknown], 2), ([], 0)]

    @Test(arguments: exitTable)
    func exitCodes(levels: [Level], code: Int32) {
        #expect(ExitStatus.of(levels: levels) == code)
    }
}

/// JF-003: the temperature gradient judged from history (GB 50174: <= 5 C per hour, either way).
struct GradientTests {
    let card = Card(id: "JF-003", title: LocalizedText("gradient"), checks: [
        Check(metric: "temperature.celsius", stat: .ratePerHour, thresholds: Thresholds(warning: try! .parse("~:5")))])
    let readings = TargetReadings(target: Target(id: "room", kind: .sensor, address: "snmp://x"),
                                  readings: [Reading(metric: "temperature.celsius", instance: "s1", value: .number(24), unit: "°C", source: "OID x")])

    @Test(arguments: [(nil as Double?, Level.unknown), (2, .ok), (-4.9, .ok), (6, .warning), (-7, .warning)])
    func judgedFromHistory(rate: Double?, level: Level) throws {
        let f = try #require(Evaluator(ratePerHour: { _, _, _ in rate }).evaluate(card: card, on: readings).first)
        #expect(f.level == level)
        if let rate {
            #expect(f.measured.contains { $0.metric == "rate_per_hour" && $0.current == rate && $0.unit == "°C/h" })
        } else {
            #expect(f.reason?.en.contains("10 minutes of history") == true)
        }
    }
}

/// Counts calls from a @Sendable closure.
final class Calls: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.withLock { n += 1 } }
    var count: Int { lock.withLock { n } }
}
