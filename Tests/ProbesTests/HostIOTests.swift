import Foundation
import Testing
@testable import InspectorCore
@testable import Probes
@testable import ProcFS

/// SRV-004 and SRV-005: /proc/net/dev, /proc/diskstats and /sys/class/net as this machine's kernel
/// (Debian 12, 6.1) prints them, rates between two readings, and the window chosen for them.
struct HostIOTests {
    static let netDev = """
    Inter-|   Receive                                                |  Transmit
     face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
        lo: 922122578 2722881    0    0    0     0          0         0 922122578 2722881    0    0    0     0       0          0
      eth0: 1183459521 1039386   12   40    0     0          0         0 91540311  603313    3    1    0     0       0          0

    """
    static let diskStats = """
       7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
     254       0 vda 1243348 10866 75264122 1611960 929285 1040418 43016184 368978 0 150864 2011214 0 0 0 0 39312 30275
     254       1 vda1 1242900 10866 75250000 1611000 929285 1040418 43016184 368978 0 150800 2011000 0 0 0 0 0 0

    """

    @Test func parsesTheKernelsCounters() throws {
        let net = try NetDev.parse(Self.netDev)
        #expect(net["eth0"] == NetDevCounters(rxErrors: 12, rxDrops: 40, txErrors: 3, txDrops: 1))
        let disks = try DiskStats.parse(Self.diskStats)
        #expect(disks["vda"] == DiskCounters(reads: 1_243_348, readMillis: 1_611_960, writes: 929_285, writeMillis: 368_978, ioMillis: 150_864))
        #expect(throws: ProcError.self) { try NetDev.parse("h\nh\neth0: 1 2 x\n") }
        #expect(throws: ProcError.self) { try DiskStats.parse("254 0 vda 1 2\n") }
    }

    func snapshot(at: Double, boot: Int = 100, net: [String: [UInt64]] = [:], disks: [String: [UInt64]] = [:]) -> IOCounterSnapshot {
        IOCounterSnapshot(at: at, bootTime: boot, net: net, disks: disks)
    }

    @Test func ratesBetweenTwoReadings() throws {
        let tree = try Self.tree()
        let c = HostCollectors(root: SystemRoot(tree), settings: HostSettings(), hwmon: Hwmon.read(SystemRoot(tree)), spinningBefore: [])
        // 60 s: 30 errors, 300 drops, two carrier changes; the disk busy 54 of 60 s, 1,000 I/Os taking 250 ms each.
        let start = snapshot(at: 1000, net: ["eth0": [10, 100, 4], "eth1": [0, 0, 0]], disks: ["sda": [5000, 10_000, 5000, 10_000, 100_000]])
        let end = snapshot(at: 1060, net: ["eth0": [40, 400, 6], "eth1": [0, 0, 0]], disks: ["sda": [5500, 135_000, 5500, 135_000, 154_000]])
        let net = c.interfaces(from: start, to: end)
        func value(_ metric: String, _ instance: String, in readings: [Reading]) -> Reading.Value? {
            readings.first { $0.metric == metric && $0.instance == instance }?.value
        }
        #expect(value(HostMetric.netErrors, "eth0", in: net) == .number(30))
        #expect(value(HostMetric.netDrops, "eth0", in: net) == .number(300))
        #expect(value(HostMetric.netCarrierChanges, "eth0", in: net) == .number(2))
        #expect(value(HostMetric.netLink, "eth0", in: net) == .state("up"))
        #expect(value(HostMetric.netLink, "eth1", in: net) == .state("adminDown"))
        #expect(value(HostMetric.netLink, "br0", in: net) == nil)   // virtual: no link state judged
        let disk = c.diskIO(from: start, to: end)
        #expect(value(HostMetric.diskUtilisation, "sda", in: disk) == .number(90))
        #expect(value(HostMetric.diskAwait, "sda", in: disk) == .number(250))

        let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Config/checklists/server.yaml").standardized.path
        let cards = try CardParser.checklist(file: config).map(\.0).filter { ["SRV-004", "SRV-005"].contains($0.id) }
        let findings = Evaluator().evaluate(TargetReadings(target: Target(id: "h", kind: .host, address: "local"), readings: net + disk), cards: cards)
        let levels = Dictionary(uniqueKeysWithValues: findings.map { ("\($0.card) \($0.instance)", $0.level) })
        #expect(levels["SRV-004 eth0"] == .warning)    // 30 errors a minute, 300 drops, a flap
        #expect(levels["SRV-004 eth1"] == .ok)
        #expect(levels["SRV-005 sda"] == .warning)     // busy 90 %, 250 ms a request: both warnings
        #expect(findings.first { $0.instance == "eth0" }?.evidence.contains { $0.en == "rate over 60 s between two readings of the counters" } == true)
    }

    @Test func aCounterThatWentBackGivesNoRate() throws {
        let tree = try Self.tree()
        let c = HostCollectors(root: SystemRoot(tree), settings: HostSettings(), hwmon: Hwmon.read(SystemRoot(tree)), spinningBefore: [])
        let readings = c.interfaces(from: snapshot(at: 0, net: ["eth0": [50, 0, 0]]), to: snapshot(at: 60, net: ["eth0": [3, 0, 0]]))
        #expect(readings.first { $0.metric == HostMetric.netErrors }?.unavailableReason?.en.contains("a counter went back") == true)
        let idle = c.diskIO(from: snapshot(at: 0, disks: ["sda": [1, 1, 1, 1, 1]]), to: snapshot(at: 60, disks: ["sda": [1, 1, 1, 1, 1]]))
        #expect(idle.map(\.metric) == [HostMetric.diskUtilisation])   // no I/O: no wait to average
    }

    @Test func thePreviousInspectionsCountersOnlyWhenRecentAndOfThisBoot() {
        let window = snapshot(at: 5000), end = snapshot(at: 5001)
        #expect(HostCollectors.start(previous: snapshot(at: 4940), window: window, end: end).at == 4940)
        #expect(HostCollectors.start(previous: snapshot(at: 4940, boot: 99), window: window, end: end).at == 5000)   // rebooted since
        #expect(HostCollectors.start(previous: snapshot(at: 1000), window: window, end: end).at == 5000)              // hours ago
        #expect(HostCollectors.start(previous: nil, window: window, end: end).at == 5000)
        #expect(HostCollectors.start(previous: snapshot(at: 5000.5), window: window, end: end).at == 5000)     // clock stepped back
    }

    /// /sys/class/net with a physical interface up, one never brought up, and a bridge (virtual).
    static func tree() throws -> String {
        let dir = NSTemporaryDirectory() + "inspect-io-\(UUID().uuidString)"
        let fm = FileManager.default
        for (name, oper, flags, path) in [("eth0", "up", "0x1003", "devices/pci0000:00/0000:00:03.0/net/eth0"),
                                          ("eth1", "down", "0x1002", "devices/pci0000:00/0000:00:04.0/net/eth1"),
                                          ("br0", "down", "0x1003", "devices/virtual/net/br0")] {
            try fm.createDirectory(atPath: "\(dir)/sys/\(path)", withIntermediateDirectories: true)
            try oper.write(toFile: "\(dir)/sys/\(path)/operstate", atomically: true, encoding: .utf8)
            try flags.write(toFile: "\(dir)/sys/\(path)/flags", atomically: true, encoding: .utf8)
            try fm.createDirectory(atPath: "\(dir)/sys/class/net", withIntermediateDirectories: true)
            try fm.createSymbolicLink(atPath: "\(dir)/sys/class/net/\(name)", withDestinationPath: "../../\(path)")
        }
        return dir
    }
}
