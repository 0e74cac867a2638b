import Foundation
import Testing
import TestPeers
@testable import InspectorCore
@testable import Probes
@testable import ProcFS

/// Real device recordings served by snmpsimd, read through the shipped profiles and judged by
/// the shipped checklists. Readings are compared with ../shared/testdata/EXPECTED.md.
@Suite(.enabled(if: SNMPSimulator.available, "needs Debian's snmpsim and ../shared/testdata"))
struct SNMPRecordingTests {
    static let simulator = SNMPSimulator.shared
    static let slowSimulator = Result { try SNMPSimulator(slowMilliseconds: 1500) }
    static let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Config").standardized.path
    static let profiles = try! ProfileParser.load(directory: config + "/profiles")
    static let cards = ["server", "ups", "room", "network"].flatMap { try! CardParser.checklist(file: "\(config)/checklists/\($0).yaml").map(\.0) }
    static let limiter = PollLimiter(size: 8)

    /// snmpsimd answers one request at a time, slowly under the parallel tests and busy cores: a
    /// generous timeout and budget, as these tests are about values, never about speed.
    /// Through the probe's own threads: a blocking poll here would hold a thread the tests share.
    static func poll(_ community: String, query: String = "?timeout=5&budget=120", slow: Bool = false) async throws -> TargetReadings {
        let port = try (slow ? slowSimulator : simulator).get().port
        let target = Target(id: community, kind: .host, address: "snmp://\(community)@127.0.0.1:\(port)\(query)")
        return await SNMPProbe(profiles: profiles, limiter: limiter).collect(target)
    }

    static func values(_ r: TargetReadings, _ metric: String) -> [String: Double] {
        Dictionary(r.readings.filter { $0.metric == metric }.compactMap { x in x.number.map { (x.instance, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    static func state(_ r: TargetReadings, _ metric: String) -> String? {
        for x in r.readings where x.metric == metric { if case .state(let s) = x.value { return s } }
        return nil
    }

    /// EXPECTED.md, NUT 2.8.0 snmp-ups dump: charge, runtime (s), input and output voltage, load,
    /// status, battery temperature. nil: NUT shows the value absent.
    static let nut: [(String, Double, Double, [Double], [Double], [Double], Double?)] = [
        ("abbups_abbups", 100, 27120, [239, 239, 238], [230, 230, 230], [6, 6, 4], 0),
        ("tripplite", 100, 1200, [115], [120], [31], 30),
        ("eaton-powerxpert", 99, 420, [269, 272, 271], [277, 278, 279], [69], nil),
    ]

    /// Per-phase rows: the ABB unit has no upsInput/OutputNumLines, so NUT assumes one phase and
    /// shows L1 only; LibreNMS reads all three rows of the table. We follow the MIB, as LibreNMS
    /// does: the table's rows are the phases, capped by NumLines only when the UPS reports it.
    @Test(arguments: nut)
    func upsReadingsMatchNUTAndLibreNMS(device: String, charge: Double, runtimeSeconds: Double, input: [Double],
                                        output: [Double], load: [Double], batteryTemperature: Double?) async throws {
        let r = try await Self.poll(device)
        #expect(r.failure == nil, "\(r.failure ?? "")")
        #expect(r.target.kind == .ups)
        #expect(Self.values(r, "ups.battery_charge")[""] == charge)
        #expect(Self.values(r, "ups.runtime_minutes")[""].map { $0 * 60 } == runtimeSeconds)   // minutes in UPS-MIB
        #expect(Self.values(r, "ups.input_voltage").sorted { $0.key < $1.key }.map(\.value) == input)
        #expect(Self.values(r, "ups.output_voltage").sorted { $0.key < $1.key }.map(\.value) == output)
        #expect(Self.values(r, "ups.output_load").sorted { $0.key < $1.key }.map(\.value) == load)
        #expect(Self.state(r, "ups.output_source") == "normal")                               // NUT "OL"
        #expect(Self.values(r, "ups.battery_temperature")[""] == batteryTemperature)
    }

    @Test func abbScaledValuesMatchLibreNMS() async throws {
        let r = try await Self.poll("abbups_abbups")
        #expect(Self.values(r, "ups.battery_voltage")[""].map { ($0 * 10).rounded() / 10 } == 434.8)   // 0.1 V units
        #expect(Set(Self.values(r, "ups.input_frequency").values) == [50])                           // 0.1 Hz units
        #expect(Self.state(r, "ups.battery_status") == "normal")
        let raw = r.readings.first { $0.metric == "ups.battery_voltage" }
        #expect(raw?.raw == "INTEGER: 4348")
        #expect(raw?.source == "OID 1.3.6.1.2.1.33.1.2.5.0")
    }

    @Test func trippLiteAlarmIsNamedByItsWellKnownOID() async throws {
        let r = try await Self.poll("tripplite")
        #expect(Self.values(r, "ups.alarms_present")[""] == 1)
        #expect(Self.state(r, "ups.alarm") == "batteryBad")
        #expect(r.inventory["model"]?.contains("SU2200") == true, "\(r.inventory)")
    }

    @Test func serversCheckStringsAndNetBotzFahrenheit() async throws {
        let sc = try await Self.poll("serverscheck")
        #expect(sc.target.kind == .sensor)
        #expect(Self.values(sc, "temperature.celsius")["sensor 1"] == 27.53)                   // from the string "27.53"
        #expect(Self.state(sc, "contact.state") == "dry")                                      // "DRY"
        let nb = try await Self.poll("apc-netbotz200")
        let celsius = try #require(Self.values(nb, "temperature.celsius").values.first)
        #expect(abs(celsius - (71 - 32) * 5 / 9) < 0.01)                                        // 71 F, units flag 2
        #expect(Self.values(nb, "humidity.percent").values.first == 35)
        #expect(nb.inventory["serial"] == "ZA1228028429")
    }

    @Test func entitySensorsOfTheAristaSwitch() async throws {
        let r = try await Self.poll("arista_eos")
        #expect(r.target.kind == .switch, "\(r.failure ?? "")")
        let temps = r.readings.filter { $0.metric == "temperature.celsius" }
        #expect(temps.count >= 10)
        // entPhySensorScale 9 (units), precision 1: 533 -> 53.3
        #expect(temps.contains { $0.label == "Cpu temp sensor" && $0.number == 53.3 }, "\(temps.map { "\($0.label ?? "") \($0.number ?? -1) \($0.raw ?? "")" })")
        #expect(r.readings.contains { $0.metric == "fan.rpm" && ($0.number ?? 0) > 1000 })
    }

    /// UPS-004 judges a UPS against the nominal values it reports (limit source "device"), and
    /// keeps the card's 220 V / 50 Hz for one that reports none (ABB).
    @Test func upsVoltageAgainstItsOwnNominal() async throws {
        let tripp = Evaluator().evaluate(try await Self.poll("tripplite"), cards: Self.cards).filter { $0.card == "UPS-004" }
        let input = try #require(tripp.first { $0.instance == "input L1" })
        #expect(input.limitSource == .device)
        #expect(input.limits.contains { $0.metric == "ups.input_voltage" && $0.warning == "108:132" && $0.critical == "55:150" && $0.source == .device })
        #expect(input.limits.contains { $0.metric == "ups.input_frequency" && $0.warning == "58.8:61.2" })
        #expect(input.evidence.map(\.en).contains { $0.hasPrefix("device nominal 120 V (1.3.6.1.2.1.33.1.9.1.0 = 120)") })
        let abb = Evaluator().evaluate(try await Self.poll("abbups_abbups"), cards: Self.cards).filter { $0.card == "UPS-004" }
        #expect(!abb.isEmpty && abb.allSatisfy { $0.limitSource == .card && $0.level == .ok })
        // The same 120 V unit on a sagging line (100 V, from the lowline-ups variant): abnormal
        // against its own limits, and critical below its transfer point.
        let low = Evaluator().evaluate(try await Self.poll("lowline-ups"), cards: Self.cards).first { $0.card == "UPS-004" && $0.instance == "input L1" }
        #expect(low?.level == .warning && low?.limitSource == .device, "\(String(describing: low))")
    }

    /// Default verdicts of the shipped cards on the recordings.
    @Test(arguments: [
        ("tripplite", "UPS-004", Level.ok),               // 115 V / 59.9 Hz against its own 120 V / 60 Hz
        ("eaton-powerxpert", "UPS-004", .ok),             // 269-279 V against its own 277 V
        ("tripplite", "UPS-006", .warning),               // batteryBad
        ("tripplite", "UPS-001", .ok),
        ("eaton-powerxpert", "UPS-002", .warning),        // 7 min runtime < 15
        ("abbups_abbups", "UPS-003", .ok),
        ("abbups_abbups", "UPS-004", .ok),
        ("serverscheck", "JF-001", .warning),             // 27.53 C > 27
        ("serverscheck", "JF-004", .ok),
        ("apc-netbotz200", "JF-002", .ok),
        ("apc-netbotz200", "JF-003", .unknown),           // needs history
    ])
    func defaultCardVerdicts(device: String, card: String, level: Level) async throws {
        let findings = Evaluator().evaluate(try await Self.poll(device), cards: Self.cards).filter { $0.card == card }
        #expect(findings.map(\.level).max() == level, "\(findings.map { "\($0.instance) \($0.level) \($0.reason?.en ?? "")" })")
    }

    @Test func absentObjectsBecomeUnknownWithTheOID() async throws {
        let findings = Evaluator().evaluate(try await Self.poll("eaton-powerxpert"), cards: Self.cards)
        let temperature = try #require(findings.first { $0.card == "UPS-005" })
        #expect(temperature.level == .unknown)
        #expect(temperature.reason?.en.contains("1.3.6.1.2.1.33.1.2.7.0") == true)
    }

    /// A plain "this OID, this scale, this unit" metric from the config, judged by a card of its own.
    @Test func configMetricBesideTheProfiles() async throws {
        let port = try Self.simulator.get().port
        var target = Target(id: "sc", kind: .sensor, address: "snmp://serverscheck@127.0.0.1:\(port)?timeout=5&budget=120")
        var metric = ProfileMetric(metric: "room.ping_gateway")
        metric.oid = "1.3.6.1.4.1.17095.3.6.0"
        metric.scale = 1000
        metric.unit = "ms"
        target.metrics = [metric]
        // The gateway sends "1.00", a string: taken as a number only when the metric says so.
        let undeclared = await SNMPProbe(profiles: Self.profiles, limiter: Self.limiter).collect(target)
        #expect(undeclared.readings.first { $0.metric == "room.ping_gateway" }.map { if case .unavailable = $0.value { true } else { false } } == true)
        target.metrics[0].syntax = [.string]
        let r = await SNMPProbe(profiles: Self.profiles, limiter: Self.limiter).collect(target)
        #expect(Self.values(r, "room.ping_gateway")[""] == 1000)   // the string "1.00" x 1000
        let card = Card(id: "GW-1", title: LocalizedText("gateway"), appliesTo: ["sensor"],
                        checks: [Check(metric: "room.ping_gateway", thresholds: Thresholds(warning: try .parse("~:500")))])
        #expect(Evaluator().evaluate(r, cards: [card]).first?.level == .warning)
    }

    @Test func forcedProfileOverridesDetection() async throws {
        let r = try await Self.poll("tripplite", query: "?profile=entity-sensor&timeout=5&budget=120")
        #expect(r.inventory["profiles"] == "entity-sensor")
        #expect(!r.readings.contains { $0.metric.hasPrefix("ups.") })
    }

    @Test func wrongCommunityAndSlowDeviceGiveUnknownWithReason() async throws {
        let wrong = try await Self.poll("no-such-community", query: "?timeout=0.3&retries=0")
        #expect(wrong.failure?.contains("timeout") == true)
        let slow = try await Self.poll("slow-ups", query: "?timeout=0.3&retries=0", slow: true)
        #expect(slow.failure?.contains("timeout") == true)
        let findings = Evaluator().evaluate(slow, cards: Self.cards)
        #expect(findings.count == 1 && findings[0].card == "REACH" && findings[0].level == .unknown)
    }
}
