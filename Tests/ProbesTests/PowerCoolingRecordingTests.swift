import Foundation
import Testing
import TestPeers
@testable import InspectorCore
@testable import Probes

/// Rack PDUs and precision air conditioners from real recordings (SOURCES.md: LibreNMS
/// tests/snmpsim), read through the shipped profiles and judged by the shipped power checklist.
/// Values are those of the recordings, as LibreNMS' own discovery reads them.
@Suite(.enabled(if: SNMPSimulator.available, "needs Debian's snmpsim and ../shared/testdata"))
struct PowerCoolingRecordingTests {
    static let cards = ["power", "room"].flatMap { try! CardParser.checklist(file: "\(SNMPRecordingTests.config)/checklists/\($0).yaml").map(\.0) }

    func judged(_ community: String) async throws -> (TargetReadings, [Finding]) {
        let r = try await SNMPRecordingTests.poll(community)
        #expect(r.failure == nil, "\(r.failure ?? "")")
        return (r, Evaluator().evaluate(r, cards: Self.cards))
    }

    func level(_ f: [Finding], _ card: String, _ instance: String) -> Level? {
        f.first { $0.card == card && $0.instance == instance }?.level
    }

    @Test func apcRackPDU() async throws {
        let (r, f) = try await judged("apc_ap8959eu3")
        #expect(r.target.kind == .pdu)
        // 1.3 A of the 16 A overload threshold; the PDU itself says normal (near overload at 13 A).
        #expect(SNMPRecordingTests.values(r, "pdu.load_percent")["phase 1"] == 8.125)
        #expect(level(f, "PDU-001", "phase 1") == .ok)
        let outlets = r.readings.filter { $0.metric == "pdu.outlet_state" }
        #expect(outlets.count == 24)
        #expect(outlets.first { $0.instance == "outlet 23" }?.value == .state("off"))
        #expect(level(f, "PDU-002", "outlet 23") == .ok)          // switched off on purpose: listed, not abnormal
        #expect(level(f, "PDU-003", "power supply 1") == .ok)
        // The probe is not installed: -1 and status notPresent are UNKNOWN, never 0 °C.
        let probe = try #require(r.readings.first { $0.metric == "temperature.celsius" })
        #expect(probe.number == nil && probe.unavailableReason?.en.contains("notPresent") == true)
        #expect(level(f, "JF-001", "probe 1") == .unknown)
        #expect(r.inventory["model"] == "AP8959EU3" && r.inventory["serial"] == "5A1638E01463")
    }

    @Test func sentryThreePhasePDU() async throws {
        let (r, f) = try await judged("sentry4")
        #expect(r.target.kind == .pdu)
        #expect(SNMPRecordingTests.values(r, "pdu.load_percent") == ["cord 1.1": 16.5, "cord 2.1": 12.2])
        // Two cords, six lines, six phases, six branches, six breakers: every one normal.
        let statuses = r.readings.filter { $0.metric == "pdu.status" }
        #expect(statuses.count == 26 && statuses.allSatisfy { $0.value == .state("normal") })
        #expect(f.filter { $0.card.hasPrefix("PDU-") }.allSatisfy { $0.level == .ok })
        // Four temperature and four humidity ports without a probe (-410, -1): UNKNOWN with the reason.
        let probes = r.readings.filter { $0.metric == "temperature.celsius" || $0.metric == "humidity.percent" }
        #expect(probes.count == 8 && probes.allSatisfy { $0.number == nil && $0.unavailableReason != nil })
    }

    @Test func apcInRowCooling() async throws {
        let (r, f) = try await judged("apc_inrow-dx")
        #expect(r.target.kind == .cooling)
        #expect(SNMPRecordingTests.state(r, "ac.running") == "active")
        #expect(SNMPRecordingTests.values(r, "ac.supply_celsius")["unit 1"] == 19.4)
        #expect(SNMPRecordingTests.values(r, "ac.return_celsius")["unit 1"] == 28)
        #expect(SNMPRecordingTests.values(r, "ac.humidity_percent")["unit 1"] == 30.6)
        #expect(f.filter { $0.card.hasPrefix("AC-") }.allSatisfy { $0.level == .ok })
    }

    @Test func stulzUnitsOneStoppedOneOvercooling() async throws {
        let (r, f) = try await judged("stulz_wib8000")
        #expect(r.target.kind == .cooling)
        let running = r.readings.filter { $0.metric == "ac.running" }
        #expect(running.count == 8)
        #expect(running.first { $0.instance == "unit 1.3.1" }?.value == .state("stopped"))
        #expect(level(f, "AC-001", "unit 1.3.1") == .warning)
        #expect(level(f, "AC-001", "unit 1.1.1") == .ok)
        // Unit 5 blows 16.7 C: below the cold aisle's 18 C (GB 50174-2017).
        #expect(SNMPRecordingTests.values(r, "ac.supply_celsius")["unit 1.5.1"] == 16.7)
        #expect(level(f, "AC-002", "unit 1.5.1") == .warning)
        #expect(SNMPRecordingTests.values(r, "ac.return_celsius")["unit 1.1.1"] == 26.5)
        #expect(SNMPRecordingTests.values(r, "ac.humidity_percent")["unit 1.1.1"] == 40.6)
        #expect(f.filter { $0.card == "AC-001" && $0.level == .critical }.isEmpty)
    }
}
