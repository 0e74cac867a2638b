import Foundation
import Testing
@testable import InspectorCore
@testable import Probes
@testable import ProcFS

/// Whole local inspections of recorded and crafted /proc + /sys trees, judged by the shipped
/// server checklist: every card on real and broken input, never a crash.
struct RecordedTreeTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let trees = here.appendingPathComponent("Fixtures/trees").path
    static let cards: [Card] = try! CardParser.checklist(
        file: here.appendingPathComponent("../../Config/checklists/server.yaml").standardized.path).map(\.0)

    static func inspect(_ tree: String, memory: HostBaseline = HostBaseline()) async -> [Finding] {
        var target = Target(id: tree, kind: .host, address: "local")
        target.host = HostSettings(requiredProcesses: ["sshd", "cron"], forbiddenProcesses: ["telnetd"], readWriteMounts: ["/"])
        let probe = LocalHostProbe(root: SystemRoot("\(trees)/\(tree)"), cpuWindow: 0.01, sampleInterval: 0.01, baseline: memory)
        return Evaluator().evaluate(await probe.collect(target), cards: cards)
    }

    static func level(_ findings: [Finding], _ card: String, _ instance: String? = nil) -> Level? {
        let matching = findings.filter { $0.card == card && (instance == nil || $0.instance == instance) }
        return matching.map(\.level).max()
    }

    /// (tree, card, instance or nil for the worst of the card, expected level)
    static let expectations: [(String, String, String?, Level)] = [
        ("healthy-server", "SXKR-001", nil, .ok),
        ("healthy-server", "SXKR-002", "RAM", .ok),
        ("healthy-server", "SRV-003", nil, .ok),
        ("healthy-server", "SXKR-004", nil, .ok),
        ("healthy-server", "SXKR-005", nil, .ok),
        ("healthy-server", "SXKR-006", nil, .ok),
        ("healthy-server", "SXKR-007", nil, .ok),
        ("healthy-server", "SXKR-008", nil, .ok),
        ("healthy-server", "SXKR-009", nil, .ok),
        ("hot-sensor", "SXKR-005", "hwmon0/temp1", .warning),   // 85 C over the chip's own max 80
        ("hot-sensor", "SXKR-005", "hwmon0/temp2", .ok),
        ("hot-sensor", "SXKR-005", "hwmon2/temp1", .critical),  // 78 C, no device limits: card 75 C
        ("hot-sensor", "SXKR-005", "thermal_zone0", .ok),
        ("stopped-fan", "SXKR-004", "hwmon1/fan1", .critical),  // 0 rpm with a minimum set
        ("stopped-fan", "SXKR-004", "hwmon1/fan2", .ok),
        ("stopped-fan", "SXKR-004", "hwmon1/fan3", .warning),   // 400 rpm under min 600
        ("full-disk", "SXKR-007", "/", .critical),
        ("full-disk", "SXKR-007", "/var", .warning),            // inodes 87.8 %
        ("full-disk", "SXKR-007", "/srv/my data", .ok),
        ("memory-pressure", "SXKR-002", "RAM", .critical),      // 96.3 % used
        ("memory-pressure", "SXKR-002", "swap", .warning),      // 61.9 %
        ("memory-pressure", "SXKR-008", nil, .critical),        // 12.5 / 4 cores
        ("memory-pressure", "SXKR-001", nil, .warning),         // 80 % busy since boot
        ("missing-hwmon", "SXKR-004", nil, .unknown),
        ("missing-hwmon", "SXKR-005", nil, .unknown),
        ("missing-hwmon", "SXKR-007", nil, .ok),
        ("log-errors", "SXKR-006", nil, .critical),
        ("readonly-root", "SRV-003", "mount:/", .critical),
        ("vm-debian12", "SXKR-002", "RAM", .ok),
        ("vm-debian12", "SXKR-004", nil, .unknown),
        ("vm-debian12", "SXKR-007", "/", .ok),
        // An older driver keeps its attributes under hwmonN/device/: read like the others.
        ("old-driver", "SXKR-004", "hwmon1/fan1", .critical),
        ("old-driver", "SXKR-004", "hwmon1/fan3", .warning),
        ("old-driver", "SXKR-004", "hwmon1/fan5", .ok),           // never reported a speed: not connected
        ("old-driver", "SXKR-005", "thermal_zone1", .unknown),    // -5 C from a chip
    ]

    @Test(arguments: expectations)
    func cardVerdict(tree: String, card: String, instance: String?, level: Level) async {
        let findings = await Self.inspect(tree)
        #expect(Self.level(findings, card, instance) == level,
                "\(tree) \(card) \(instance ?? "*"): \(findings.filter { $0.card == card }.map { "\($0.instance)=\($0.level) \($0.reason?.en ?? "")" })")
    }

    /// A fan at 0 rpm with no minimum set: stopped when it has spun before (the probe's memory,
    /// kept by the caller between polls), "not connected" when it never reported a speed.
    @Test func aFanThatSpunBeforeAndNowReadsZeroHasStopped() async throws {
        let fresh = await Self.inspect("old-driver")
        let fan4 = try #require(fresh.first { $0.card == "SXKR-004" && $0.instance == "hwmon1/fan4" })
        #expect(fan4.level == .ok && fan4.measured.first?.text == "not connected", "\(fan4)")
        let remembered = await Self.inspect("old-driver", memory: HostBaseline(spinningFans: ["hwmon1/fan4"]))
        let stopped = try #require(remembered.first { $0.card == "SXKR-004" && $0.instance == "hwmon1/fan4" })
        #expect(stopped.level == .critical && stopped.measured.first?.text == "stopped", "\(stopped)")
        #expect(stopped.sources == ["/sys/class/hwmon/hwmon1/device/fan4_input"])
        // The probe hands back what to remember: the fans spinning now, and those seen before.
        let probe = LocalHostProbe(root: SystemRoot("\(Self.trees)/old-driver"), cpuWindow: 0.01, sampleInterval: 0.01,
                                   baseline: HostBaseline(spinningFans: ["hwmon1/fan4"]))
        let data = await probe.collect(Target(id: "h", kind: .host, address: "local"))
        #expect(data.hostBaseline?.spinningFans == ["hwmon1/fan2", "hwmon1/fan3", "hwmon1/fan4"])
    }

    @Test func inventoryNamesTheSystem() async {
        let probe = LocalHostProbe(root: SystemRoot("\(Self.trees)/healthy-server"), cpuWindow: 0.01, sampleInterval: 0.01)
        let data = await probe.collect(Target(id: "h", kind: .host, address: "local"))
        #expect(data.inventory["os"] == "Debian GNU/Linux 12 (bookworm)")
        #expect(LocalHostProbe.prettyName("NAME=x\nPRETTY_NAME='Alpine Linux v3.20'\n") == "Alpine Linux v3.20")
        #expect(LocalHostProbe.prettyName("NAME=x\n") == nil)
    }

    @Test func garbageFilesGiveUnknownWithTheFileNamed() async {
        let findings = await Self.inspect("garbage")
        for card in ["SXKR-001", "SXKR-002", "SXKR-005", "SXKR-008", "SXKR-009"] {
            let f = findings.filter { $0.card == card }
            #expect(!f.isEmpty && f.allSatisfy { $0.level == .unknown }, "\(card): \(f.map { "\($0.instance)=\($0.level) \($0.reason?.en ?? "")" })")
        }
        let reasons = findings.compactMap { $0.reason?.en }.joined(separator: "\n")
        for file in ["/proc/stat", "/proc/meminfo", "/proc/loadavg", "/proc/uptime", "temp1_input"] {
            #expect(reasons.contains(file), "no reason names \(file): \(reasons)")
        }
    }

    @Test func truncatedFilesGiveUnknownNotWrongFigures() async {
        let findings = await Self.inspect("truncated")
        #expect(Self.level(findings, "SXKR-001") == .unknown)   // cpu line with 3 of 4 fields
        #expect(Self.level(findings, "SXKR-008") == .unknown)   // "0.5"
        // MemTotal survived, MemAvailable did not: the old free+buffers+cached rule applies.
        #expect(Self.level(findings, "SXKR-002", "RAM") != nil)
    }

    @Test func processesRequiredAndForbidden() async throws {
        var target = Target(id: "t", kind: .host, address: "local")
        target.host = HostSettings(requiredProcesses: ["sshd", "nginx"], forbiddenProcesses: ["cron"], readWriteMounts: [])
        let probe = LocalHostProbe(root: SystemRoot("\(Self.trees)/healthy-server"), cpuWindow: 0.01, sampleInterval: 0.01)
        let findings = Evaluator().evaluate(await probe.collect(target), cards: Self.cards).filter { $0.card == "SRV-003" }
        #expect(findings.map(\.instance) == ["sshd", "nginx", "cron"])
        #expect(findings.map(\.level) == [.ok, .critical, .warning])
    }

    @Test func logEvidenceListsTheMostFrequentMessages() async throws {
        let f = try #require(await Self.inspect("log-errors").first { $0.card == "SXKR-006" })
        #expect(f.measured.first { $0.metric == "log.errors" }?.current == 3)
        #expect(f.measured.first { $0.metric == "log.critical" }?.current == 1)
        #expect(f.evidence.map(\.en).contains { $0.hasPrefix("2× ata1.00: failed command") })
    }

    @Test func logCountsOnlySinceTheLastInspection() async throws {
        // The errors are 5.0-5.3 s after boot; an inspection at boot + 5.25 s saw the first three.
        let memory = HostBaseline(lastInspection: 1_795_000_005.25, bootTime: 1_795_000_000)
        let f = try #require(await Self.inspect("log-errors", memory: memory).first { $0.card == "SXKR-006" })
        #expect(f.measured.first { $0.metric == "log.errors" }?.current == 0)
        #expect(f.measured.first { $0.metric == "log.critical" }?.current == 1)
    }

    @Test func rebootSinceTheLastInspectionIsReported() async {
        let rebooted = await Self.inspect("healthy-server", memory: HostBaseline(lastInspection: 1, bootTime: 1_700_000_000))
        #expect(Self.level(rebooted, "SXKR-009") == .warning)
        let same = await Self.inspect("healthy-server", memory: HostBaseline(lastInspection: 1, bootTime: 1_795_000_000))
        #expect(Self.level(same, "SXKR-009") == .ok)
    }

    @Test func liveHostIsReadWithoutUnknownsForCoreCards() async {
        var target = Target(id: "live", kind: .host, address: "local")
        target.host = HostSettings()
        let probe = LocalHostProbe(root: SystemRoot("/"), cpuWindow: 0.2, sampleInterval: 0.1)
        let data = await probe.collect(target)
        let findings = Evaluator().evaluate(data, cards: Self.cards)
        for card in ["SXKR-001", "SXKR-002", "SXKR-007", "SXKR-008", "SXKR-009"] {
            #expect(Self.level(findings, card).map { $0 != .unknown } == true, "\(card) unknown on the live host")
        }
        let cpu = data.readings.first { $0.metric == HostMetric.cpu }
        #expect(cpu?.samples.count == 2)
        #expect(cpu?.samples.allSatisfy { (0...100).contains($0) } == true)
    }
}
