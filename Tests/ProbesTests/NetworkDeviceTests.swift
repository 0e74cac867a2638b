import Foundation
import Testing
import TestPeers
@testable import InspectorCore
@testable import Probes
@testable import Reports

/// Switches, routers, firewalls and an OLT of seven vendors, from their real recordings (SOURCES.md),
/// through the shipped profiles and cards. Every expected figure is the recording's own value,
/// scaled here by hand from the line quoted beside it.
/// snmpsimd answers one request at a time and is shared by the suites (SNMPSimulator.shared):
/// this suite polls one device at a time, and every poll has a 120 s budget, so that the other
/// suites' load cannot push a walk past it.
@Suite(.serialized, .enabled(if: SNMPSimulator.available, "needs Debian's snmpsim and ../shared/testdata"))
struct NetworkDeviceTests {
    typealias R = SNMPRecordingTests
    static let simulator = SNMPSimulator.shared

    static func poll(_ community: String) async throws -> TargetReadings {
        let target = Target(id: community, kind: .host, address: "snmp://\(community)@127.0.0.1:\(try simulator.get().port)?timeout=5&budget=120")
        // `inspect now`'s way: port rates sample the counters twice within the poll.
        let r = await SNMPProbe(profiles: R.profiles, limiter: R.limiter, rateWindow: 1).collect(target)
        #expect(r.failure == nil, "\(community): \(r.failure ?? "")")
        return r
    }

    static func states(_ r: TargetReadings, _ metric: String) -> [String: String] {
        Dictionary(r.readings.filter { $0.metric == metric }.compactMap { x -> (String, String)? in
            if case .state(let s) = x.value { return (x.instance, s) }
            return nil
        }, uniquingKeysWith: { a, _ in a })
    }

    static func close(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) < 0.01 } ?? false }

    @Test func ciscoStackReadsCPUMemoryPoolsAndMembers() async throws {
        let r = try await Self.poll("ios_2960x")
        #expect(r.target.kind == .switch)
        #expect(R.values(r, "cpu.utilisation") == ["cpu 1": 53])                       // cpmCPUTotal5minRev.1 = 53
        let memory = R.values(r, "memory.used_percent")
        #expect(Self.close(memory["pool 1"], 100 * 50661572 / (50661572 + 392203472.0)))  // Processor: used .5.1, free .6.1
        #expect(Self.close(memory["pool 2"], 100 * 12622768 / (12622768 + 4154448.0)))    // I/O
        #expect(Self.states(r, "module.state") == ["stack member 1001": "ok", "stack member 2001": "ok", "stack member 3001": "ok"])
    }

    @Test func catalystNineThousandReadsEnhancedMempoolAndFRUPower() async throws {
        let r = try await Self.poll("iosxe_c9400-svl")
        #expect(R.values(r, "cpu.utilisation") == ["cpu 28": 2, "cpu 30": 2])
        let memory = R.values(r, "memory.used_percent")
        #expect(Self.close(memory["mempool 3000.1"], 100 * 357292864 / (357292864 + 1254751500.0)))   // HCUsed .18, HCFree .20
        #expect(Self.close(memory["mempool 3000.2"], 100 * 88 / (88 + 102316.0)))
        #expect(Self.states(r, "module.power")["fru 13"] == "on")                                      // cefcFRUPowerOperStatus.13 = 2
    }

    @Test func comwareReadsBoardsNotEveryPortRow() async throws {
        let a5500 = try await Self.poll("comware_a5500")
        #expect(a5500.target.kind == .switch)
        #expect(R.values(a5500, "cpu.utilisation") == ["cpu 65": 8])             // only the board fills MemUsage (.8.65 = 47)
        #expect(R.values(a5500, "memory.used_percent") == ["memory 65": 47])
        // 44 rows carry 38 °C; the two modules (entPhysicalClass 9) and the sensor (8) are read. The
        // modules' threshold is 65535 (unset): no device limit; Sensor1's is 55 (.13.69).
        #expect(R.values(a5500, "temperature.celsius") == ["temp 65": 38, "temp 146": 38, "temp 69": 38])
        let limits = Dictionary(uniqueKeysWithValues: a5500.readings.filter { $0.metric == "temperature.celsius" }.map { ($0.instance, $0.deviceLimits?.critical) })
        #expect(limits == ["temp 65": nil, "temp 146": nil, "temp 69": 55])
        #expect(Self.states(a5500, "psu.state") == ["psu 1": "normal", "psu 2": "notPresent"])
        let hpe5900 = try await Self.poll("comware_hpe5900")
        #expect(R.values(hpe5900, "cpu.utilisation") == ["cpu 192": 5])
        let sensor = try #require(hpe5900.readings.first { $0.metric == "temperature.celsius" && $0.instance == "temp 204" })
        #expect(sensor.number == 35 && sensor.deviceLimits?.critical == 67)     // .12.204 = 35, .13.204 = 67
    }

    @Test func huaweiReadsRowsThatHaveThresholds() async throws {
        let s5720 = try await Self.poll("vrp_5720-32x-ei")
        #expect(R.values(s5720, "cpu.utilisation") == ["cpu 67108873": 44])
        #expect(R.values(s5720, "memory.used_percent") == ["memory 67108873": 9])
        let temp = try #require(s5720.readings.first { $0.metric == "temperature.celsius" })
        #expect(temp.number == 40 && temp.deviceLimits?.critical == 55)
        let ne8000 = try await Self.poll("vrp_ne8000-m8")
        #expect(R.values(ne8000, "cpu.utilisation") == ["cpu 16777216": 58, "cpu 17432577": 58])
        #expect(R.values(ne8000, "temperature.celsius").count == 5)
        #expect(Self.states(ne8000, "psu.state") == ["psu 11.0": "normal", "psu 12.0": "normal"])
        #expect(Self.states(ne8000, "fan.state") == ["fan 13.1": "normal"])
    }

    @Test func juniperReadsRoutingEngineAndFRUsAndLeavesPackageImagesUnjudged() async throws {
        let r = try await Self.poll("junos_qfx5100")
        #expect(r.target.kind == .switch)
        #expect(R.values(r, "cpu.utilisation") == ["cpu 7.1.0.0": 17, "cpu 9.1.0.0": 17])
        #expect(R.values(r, "memory.used_percent") == ["memory 7.1.0.0": 44, "memory 9.1.0.0": 44])
        #expect(R.values(r, "temperature.celsius") == ["temp 7.1.0.0": 41, "temp 9.1.0.0": 26])
        #expect(Self.states(r, "psu.state") == ["fru 2.1.1.0": "normal", "fru 2.1.2.0": "normal"])
        #expect(Self.states(r, "fan.state").count == 5)
        // The read-only package images are full by design: kept, never a filesystem to fill.
        let images = r.readings.filter { $0.metric == "fs.image_used_percent" }
        #expect(images.count >= 12, "\(images.map(\.label))")
        #expect(!r.readings.contains { $0.metric == "fs.used_percent" && ($0.label ?? "").contains("/packages/mnt/") })
        #expect(r.readings.contains { $0.metric == "fs.used_percent" && ($0.label ?? "").hasSuffix("mounted on: /var") })
    }

    @Test func fortigateAndZTEReadTheirOwnTables() async throws {
        let fortigate = try await Self.poll("fortigate_1500d")
        #expect(R.values(fortigate, "cpu.utilisation") == ["system": 6])
        #expect(R.values(fortigate, "memory.used_percent") == ["system": 32])
        #expect(R.values(fortigate, "firewall.sessions") == ["": 26190])
        #expect(Self.states(fortigate, "hardware.alarm").count == 54)
        let olt = try await Self.poll("zxa10_c320")
        #expect(R.values(olt, "cpu.utilisation") == ["card 1.1.1": 11, "card 1.1.4": 8])
        #expect(R.values(olt, "memory.used_percent") == ["card 1.1.1": 26, "card 1.1.4": 25])
        #expect(R.values(olt, "temperature.celsius") == ["card 1.1.1": 38, "card 1.1.3": 37, "card 1.1.4": 43])
    }

    /// The cards each device cannot fill, and why: its recording holds no such data. Any other
    /// UNKNOWN (a profile that should have answered) fails.
    static let expectedGaps: [(String, Set<String>)] = [
        ("ios_2960x", []), ("iosxe_c9400-svl", []), ("vrp_5720-32x-ei", []), ("vrp_ne8000-m8", []), ("junos_qfx5100", []),
        ("comware_a5500", ["SXKR-003"]), ("comware_hpe5900", ["SXKR-003"]),   // no hh3cEntityExtErrorStatus recorded
        ("fortigate_1500d", ["SXKR-004", "SXKR-005"]),                         // fans and temperatures only as alarm flags (SXKR-003)
        ("zxa10_c320", ["SXKR-003", "SXKR-004"]),
        ("hp-2530", ["SXKR-001", "SXKR-002", "SXKR-004", "SXKR-005"]),         // the walk holds MIB-2 only (see below)
    ]

    @Test(arguments: expectedGaps)
    func noCardIsUnknownForLackOfAProfile(device: String, gaps: Set<String>) async throws {
        let r = try await Self.poll(device)
        // The HP 2530 answers standard MIBs only: its gaps name the missing vendor profile.
        #expect((r.unprofiled == nil) == (device != "hp-2530"), "\(r.unprofiled?.en ?? "")")
        let findings = Evaluator().evaluate(r, cards: R.cards)
        let unknown = Set(findings.filter { $0.level == .unknown }.map(\.card))
        #expect(!findings.contains { $0.card.hasPrefix("PORT-") && $0.level == .unknown }, "port cards wait for no second poll")
        #expect(unknown == gaps, "\(findings.filter { $0.level == .unknown }.map { "\($0.card) \($0.reason?.en ?? "")" })")
    }

    /// A switch no profile knows is reachable, and every card says which sysObjectID lacks a profile.
    @Test func aDeviceWithoutAProfileIsReachableAndSaysWhy() async throws {
        let r = try await Self.poll("ruijie")
        let findings = Evaluator().evaluate(r, cards: R.cards)
        let reach = try #require(findings.first { $0.card == "REACH" })
        #expect(reach.level == .ok)
        // IF-MIB answers (the port register is read); every other card says what is missing.
        #expect(r.target.kind == .switch && findings.contains { $0.card == "PORT-001" })
        let others = findings.filter { !["REACH"].contains($0.card) && !$0.card.hasPrefix("PORT-") }
        #expect(!others.isEmpty && others.allSatisfy { $0.level == .unknown })
        let reason = try #require(others.first?.reason)
        #expect(reason.en.contains("1.3.6.1.4.1.4881.1.1.10.1.150") && reason.en.contains("enterprise 4881") && reason.en.contains("S6220"), "\(reason.en)")
        #expect(reason.zh.contains("企业号 4881"))
    }

    /// The port register: physical ports only, admin-down ports listed and never abnormal.
    @Test(arguments: [("ios_2960x", 49, 1, 83), ("hp-2530", 1, 0, 27)])
    func portRegisterCounts(device: String, up: Int, adminDown: Int, down: Int) async throws {
        let r = try await Self.poll(device)
        let status = Self.states(r, "port.status")
        #expect(status.values.filter { $0 == "up" }.count == up)
        #expect(status.values.filter { $0 == "adminDown" }.count == adminDown)
        #expect(status.values.filter { $0 == "down" }.count == down)
        let findings = Evaluator().evaluate(r, cards: R.cards).filter { $0.card == "PORT-001" }
        #expect(findings.count == up + adminDown + down)
        #expect(findings.filter { $0.level == .warning }.count == down && findings.allSatisfy { $0.level != .critical })
        // Names as the device shows them (ifName), not ifIndex numbers.
        #expect(r.readings.filter { $0.metric == "port.status" }.allSatisfy { !($0.label ?? "").isEmpty })
        // The register (端口登记表) counts the same ports, each once, with its description.
        let all = Evaluator().evaluate(r, cards: R.cards)
        let report = InspectionReport(run: RunInfo(id: "t", host: "h", startedAt: Date(), finishedAt: Date(), toolVersion: "t", configFile: nil),
                                      targets: [ReportTarget(id: r.target.id, kind: .switch, address: r.target.address)], findings: all)
        let register = try #require(PortRegister.registers(report, lang: .en).first)
        let c = register.counts
        #expect(c.ports == up + adminDown + down && c.up == up && c.adminDown == adminDown && c.down == down && c.abnormal >= down)
        let indices = register.rows.map { PortRegister.portOrder($0.instance).0 }
        #expect(indices == indices.sorted())
        if device == "ios_2960x" {
            let first = try #require(register.rows.first)
            #expect(first.name == "Gi1/0/1" && first.alias == "** DECT ***" && first.status == "up" && first.inUtilisation != nil)
        }
    }

    /// A port the site leaves down on purpose is normal: by name (Gi1/0/10) or by its ifAlias
    /// (the access ports described "VOICE + DATA Vlan 527"); every other down port stays a warning.
    @Test func portsDownOnPurposeAreNormal() async throws {
        var target = Target(id: "sw", kind: .host, address: "snmp://ios_2960x@127.0.0.1:\(try Self.simulator.get().port)?timeout=5&budget=120")
        target.ports.expectedDown = ["Gi1/0/10"]
        target.ports.expectedDownAlias = try AliasPattern("Vlan 527$")
        let r = await SNMPProbe(profiles: R.profiles, limiter: R.limiter, rateWindow: 1).collect(target)
        let status = r.readings.filter { $0.metric == "port.status" }
        let byName = Dictionary(status.map { ($0.label ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byName["Gi1/0/6"]?.value == .state("expectedDown") && byName["Gi1/0/7"]?.value == .state("expectedDown"))
        #expect(byName["Gi1/0/6"]?.evidence.map(\.en).contains { $0.contains("VOICE + DATA Vlan 527") } == true)
        #expect(byName["Gi1/0/10"]?.value == .state("expectedDown"))
        #expect(byName["Gi1/0/8"]?.value == .state("down"))                     // Vlan 512: not matched
        let findings = Evaluator().evaluate(r, cards: R.cards).filter { $0.card == "PORT-001" }
        let expected = status.filter { $0.value == .state("expectedDown") }.count
        #expect(expected >= 3 && findings.filter { $0.level == .warning }.count == 83 - expected)
    }

    /// `inspect targets --detect` says which profile decided the kind, and when only standard MIBs
    /// answered, which vendor profile is missing.
    @Test func detectionExplainsItsChoice() async throws {
        let port = try Self.simulator.get().port
        let probe = SNMPProbe(profiles: R.profiles, limiter: R.limiter)
        let junos = await probe.explain(Target(id: "qfx", kind: .host, address: "snmp://junos_qfx5100@127.0.0.1:\(port)?timeout=5&budget=120"))
        #expect(junos.kind == .switch && junos.text.contains("kind=switch (from juniper-chassis)"), "\(junos.text)")
        #expect(!junos.text.contains("standard MIBs only"))
        let ruijie = await probe.explain(Target(id: "rj", kind: .host, address: "snmp://ruijie@127.0.0.1:\(port)?timeout=5&budget=120"))
        #expect(ruijie.text.contains("standard MIBs only") && ruijie.text.contains("enterprise 4881"), "\(ruijie.text)")
    }
}
