import Foundation
import Testing
import TestPeers
@testable import InspectorCore
@testable import Probes

/// Disks and arrays over SNMP, from real Synology recordings (Tests/TestPeers/Recordings/SOURCES.md)
/// read through the shipped profiles and judged by the shipped server checklist (SXKR-010 disks and
/// arrays, SXKR-004 power and fans, SXKR-005 temperature).
@Suite(.enabled(if: SNMPSimulator.available, "needs Debian's snmpsim and ../shared/testdata"))
struct StorageRecordingTests {
    static let cards = try! CardParser.checklist(file: "\(SNMPRecordingTests.config)/checklists/server.yaml").map(\.0)

    func judged(_ community: String) async throws -> (TargetReadings, [Finding]) {
        let r = try await SNMPRecordingTests.poll(community)
        #expect(r.failure == nil, "\(r.failure ?? "")")
        return (r, Evaluator().evaluate(r, cards: Self.cards))
    }

    func finding(_ f: [Finding], _ card: String, _ instance: String) -> Finding? {
        f.first { $0.card == card && $0.instance == instance }
    }

    func states(_ r: TargetReadings, _ metric: String) -> [String: String] {
        Dictionary(r.readings.filter { $0.metric == metric }.compactMap { x in
            if case .state(let s) = x.value { return (x.instance, s) } else { return nil }
        }, uniquingKeysWith: { a, _ in a })
    }

    @Test func diskStationAllNormal() async throws {
        let (r, f) = try await judged("synology_ds214play")
        #expect(r.target.kind == .host)
        #expect(r.inventory["model"] == "DS214play" && r.inventory["serial"] == "1460LTN874801" && r.inventory["firmware"] == "DSM 6.0-7393")
        #expect(states(r, "disk.state") == ["disk 0": "normal", "disk 1": "normal"])
        #expect(SNMPRecordingTests.values(r, "disk.temperature_celsius") == ["disk 0": 29, "disk 1": 31])
        #expect(states(r, "raid.state") == ["array 0": "clean"])
        #expect(states(r, "storage.system_status") == ["system": "normal"])
        #expect(states(r, "fan.state") == ["system fan": "normal", "CPU fan": "normal"])
        #expect(states(r, "psu.state") == ["power": "normal"])
        #expect(SNMPRecordingTests.values(r, "temperature.celsius")["system"] == 50)
        // The device's own names label the findings, as DSM shows them.
        #expect(finding(f, "SXKR-010", "disk 1")?.instanceLabel == "Disk 2")
        #expect(finding(f, "SXKR-010", "array 0")?.instanceLabel == "Volume 1")
        for card in ["SXKR-004", "SXKR-005", "SXKR-010"] {
            let judged = f.filter { $0.card == card }
            #expect(!judged.isEmpty && judged.allSatisfy { $0.level == .ok }, "\(card): \(judged.map { "\($0.instance) \($0.level)" })")
        }
        // net-snmp gives no hrDeviceStatus for disks: no reading, never a guess.
        #expect(!r.readings.contains { $0.metric == "disk.device_status" })
        // Its CPU and volumes come through the generic Linux profiles, as on any net-snmp host.
        #expect(r.readings.contains { $0.metric == "cpu.utilisation" } && r.readings.contains { $0.metric == "fs.used_percent" })
    }

    @Test func rackStationWithExpansionUnit() async throws {
        let (r, f) = try await judged("synology_rs2212rp")
        #expect(r.inventory["model"] == "RS2212RP+")
        let disks = r.readings.filter { $0.metric == "disk.state" }
        #expect(disks.count == 22 && disks.allSatisfy { $0.value == .state("normal") })
        #expect(disks.first { $0.instance == "disk 21" }?.label == "Disk 12 (RX1214rp-1)")
        let hottest = try #require(SNMPRecordingTests.values(r, "disk.temperature_celsius").values.max())
        #expect(hottest == 37)
        #expect(states(r, "raid.state") == ["array 0": "clean", "array 1": "clean", "array 2": "clean"])
        #expect(Set(r.readings.filter { $0.metric == "raid.state" }.compactMap(\.label)) == ["Volume 1", "Disk Group 1", "LUN-1"])
        // 22 disks, 3 arrays and the system: every one normal.
        let judged = f.filter { $0.card == "SXKR-010" }
        #expect(judged.count == 26 && judged.allSatisfy { $0.level == .ok }, "\(judged.map { "\($0.instance) \($0.level)" })")
    }

    @Test func failingNASIsCriticalWithTheDevicesOwnWords() async throws {
        let (r, f) = try await judged("failing-nas")
        let crashed = try #require(finding(f, "SXKR-010", "disk 1"))
        #expect(crashed.level == .critical)
        // The disk's temperature (58 C) is judged with it: over 55 C is a warning, the crash decides.
        #expect(SNMPRecordingTests.values(r, "disk.temperature_celsius")["disk 1"] == 58)
        #expect(finding(f, "SXKR-010", "disk 0")?.level == .ok)
        #expect(finding(f, "SXKR-010", "array 0")?.level == .critical)
        #expect(states(r, "raid.state")["array 0"] == "degraded")
        #expect(finding(f, "SXKR-010", "system")?.level == .critical)
        // hrDeviceStatus down(5) on the row of type hrDeviceDiskStorage named /dev/sdb.
        let device = try #require(finding(f, "SXKR-010", "device 393233"))
        #expect(device.level == .critical && device.instanceLabel == "SCSI disk (/dev/sdb)")
        #expect(states(r, "disk.device_status") == ["device 393233": "down"])
        // Words in Chinese, from the vocabulary: 已损毁, 降级, 硬盘 2.
        #expect(crashed.item(.zh) == "硬盘与磁盘阵列状态 硬盘 2" && crashed.reason?.zh.contains("已损毁") == true, "\(crashed.reason?.zh ?? "")")
        #expect(finding(f, "SXKR-010", "array 0")?.reason?.zh.contains("降级") == true)
    }
}
