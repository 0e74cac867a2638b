import Foundation
import Testing
import TestPeers
@testable import InspectorCore
@testable import Probes
@testable import ProcFS

/// Real recordings with a few values made hostile (SNMPSimulator.variants): agent errors on single
/// objects, garbage values, declared rows that are missing. Each must end as UNKNOWN with its own
/// OID and reason; nothing else on the device may be lost, and nothing becomes a verdict.
@Suite(.enabled(if: SNMPSimulator.available, "needs Debian's snmpsim and ../shared/testdata"))
struct SNMPGarbageTests {
    static let simulator = SNMPSimulator.shared
    static let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Config").standardized.path
    static let profiles = try! ProfileParser.load(directory: config + "/profiles")
    static let cards = ["server", "ups", "room"].flatMap { try! CardParser.checklist(file: "\(config)/checklists/\($0).yaml").map(\.0) }
    static let limiter = PollLimiter(size: 4)

    /// The poll as `inspect now` and the daemon see it: through the catalogue's gate.
    static func poll(_ community: String) async throws -> TargetReadings {
        let port = try simulator.get().port
        let target = Target(id: community, kind: .host, address: "snmp://\(community)@127.0.0.1:\(port)?timeout=5&budget=120")
        var readings = await SNMPProbe(profiles: profiles, limiter: limiter).collect(target)
        MetricCatalogue.shipped.vet(&readings)
        return readings
    }

    static func findings(_ community: String) async throws -> [Finding] {
        Evaluator().evaluate(try await poll(community), cards: cards)
    }

    static func reading(_ r: TargetReadings, _ metric: String, _ instance: String = "") -> Reading? {
        r.readings.first { $0.metric == metric && $0.instance == instance }
    }

    @Test func oneObjectsErrorBlindsOnlyThatObject() async throws {
        let r = try await Self.poll("generr-ups")
        #expect(r.failure == nil, "\(r.failure ?? "")")
        // Detection survives the error on one of its probe OIDs: the other two decide.
        #expect(r.target.kind == .ups)
        let temperature = try #require(Self.reading(r, "ups.battery_temperature"))
        #expect(temperature.unavailableReason?.en == "agent answered noAccess at 1.3.6.1.2.1.33.1.2.7.0", "\(temperature.value)")
        let status = try #require(Self.reading(r, "ups.battery_status"))
        #expect(status.unavailableReason?.en == "agent answered NULL at 1.3.6.1.2.1.33.1.2.1.0", "\(status.value)")
        // Everything else of the same GET batches is read.
        #expect(Self.reading(r, "ups.battery_charge")?.number == 100)
        #expect(Self.reading(r, "ups.runtime_minutes")?.number == 20)
        #expect(Self.reading(r, "ups.output_source")?.value == .state("normal"))
        let f = Evaluator().evaluate(r, cards: Self.cards)
        #expect(f.first { $0.card == "UPS-001" }?.level == .ok)   // P1, untouched by the errors
        #expect(f.first { $0.card == "UPS-005" }?.level == .unknown)
        #expect(f.first { $0.card == "UPS-005" }?.reason?.en.contains("1.3.6.1.2.1.33.1.2.7.0") == true)
    }

    @Test func aRefusedWalkBlindsOnlyItsColumn() async throws {
        let r = try await Self.poll("walkerr-ups")
        #expect(r.failure == nil, "\(r.failure ?? "")")
        let input = try #require(Self.reading(r, "ups.input_voltage"))
        #expect(input.unavailableReason?.en.contains("noAccess when walking 1.3.6.1.2.1.33.1.3.3.1.3") == true, "\(input.value)")
        #expect(Self.reading(r, "ups.output_voltage", "output L1")?.number == 120)
        #expect(Self.reading(r, "ups.battery_charge")?.number == 100)
    }

    @Test func garbageValuesAreUnknownWithTheirRawValueNeverAVerdict() async throws {
        let f = try await Self.findings("hostile-ups")
        func of(_ card: String) -> Finding? { f.first { $0.card == card } }
        // -1 runtime is the "unknown" sentinel, not 1 minute left (that would be a P1 CRITICAL);
        // a charge of 2^31-1 % is not "normal".
        let battery = try #require(of("UPS-002"))
        #expect(battery.level == .unknown, "\(battery)")
        #expect(battery.reason?.en.contains("device reports -1") == true, "\(battery.reason?.en ?? "")")
        #expect(battery.reason?.en.contains("2147483647") == true && battery.reason?.en.contains("0..100") == true)
        // "NaN" as a string where an INTEGER belongs; a TimeTicks where the load gauge belongs.
        #expect(of("UPS-005")?.level == .unknown)
        #expect(of("UPS-005")?.reason?.en.contains("STRING: NaN") == true, "\(of("UPS-005")?.reason?.en ?? "")")
        #expect(of("UPS-003")?.level == .unknown)
        #expect(of("UPS-003")?.reason?.en.contains("TimeTicks: 800") == true, "\(of("UPS-003")?.reason?.en ?? "")")
        #expect(of("UPS-001")?.level == .ok)
    }

    @Test func entitySensorGarbageIsUnknown() async throws {
        let r = try await Self.poll("hostile-arista")
        // The value "52.0" as a string would otherwise read 5.2 C; a scale of 99 would read 1e271.
        let string = try #require(Self.reading(r, "temperature.celsius", "sensor 100006001"))
        #expect(string.unavailableReason?.en.contains("STRING: 52.0") == true, "\(string.value)")
        let scaled = try #require(Self.reading(r, "temperature.celsius", "sensor 100006014"))
        #expect(scaled.unavailableReason?.en.contains("entPhySensorScale 99") == true, "\(scaled.value)")
        // The other sensors keep their values.
        #expect(r.readings.filter { $0.metric == "temperature.celsius" && $0.number != nil }.count > 5)
    }

    @Test func declaredRowsThatAreMissingAreUnknownNeverLeftOut() async throws {
        let r = try await Self.poll("partial-ups")
        // upsOutputNumLines says 3, the table has line 1 only: lines 2 and 3 are UNKNOWN.
        for line in [2, 3] {
            let load = try #require(Self.reading(r, "ups.output_load", "L\(line)"), "\(r.readings.map(\.instance))")
            #expect(load.unavailableReason?.en.contains("declares 3 lines") == true, "\(load.value)")
        }
        #expect(Self.reading(r, "ups.output_load", "L1")?.number == 31)
        // upsInputNumLines -1 is no number of lines: the rows present are read and the note says so.
        let input = try #require(Self.reading(r, "ups.input_voltage", "input L1"))
        #expect(input.number == 115)
        #expect(input.evidence.map(\.en).contains { $0.contains("reads -1, not a number of lines") })
        let f = Evaluator().evaluate(r, cards: Self.cards)
        #expect(f.contains { $0.card == "UPS-003" && $0.instance == "L3" && $0.level == .unknown })
    }
}

/// The catalogue's gate on its own: a number outside its metric's physical range, or not finite.
struct MetricCatalogueTests {
    @Test func shippedCatalogueNamesEveryMetricTheProfilesAndChecklistsUse() throws {
        let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Config").standardized.path
        let profiles = try ProfileParser.load(directory: config + "/profiles")
        let cards = try ["server", "ups", "room", "web"].flatMap { try CardParser.checklist(file: "\(config)/checklists/\($0).yaml").map(\.0) }
        let used = Set(profiles.flatMap { $0.metrics.flatMap { [$0.metric].compactMap { $0 } + $0.types.values } } + cards.flatMap(\.metrics))
        let missing = used.subtracting(MetricCatalogue.shipped.metrics.keys)
        #expect(missing.isEmpty, "not in Config/metrics.yaml: \(missing.sorted())")
    }

    @Test(arguments: [("ups.battery_charge", "%", 2_147_483_647.0), ("humidity.percent", "%", -3), ("temperature.celsius", "°C", 1e271),
                      ("temperature.celsius", "°C", .nan), ("cpu.utilisation", "%", .infinity), ("own.metric", "%", 101)])
    func implausibleNumbersBecomeUnknown(metric: String, unit: String, value: Double) {
        let r = MetricCatalogue.shipped.vet(Reading(metric: metric, instance: "", value: .number(value), unit: unit, source: "test", raw: "raw"))
        #expect(r.unavailableReason?.en.hasPrefix("implausible value") == true, "\(r.value)")
        #expect(r.unavailableReason?.en.contains("raw raw") == true)
    }

    @Test func plausibleNumbersPassUntouched() {
        for (metric, unit, value) in [("ups.battery_charge", "%", 0.0), ("temperature.celsius", "°C", -20), ("ups.input_voltage", "V", 277)] {
            let r = Reading(metric: metric, instance: "", value: .number(value), unit: unit, source: "test")
            #expect(MetricCatalogue.shipped.vet(r) == r)
        }
    }
}
